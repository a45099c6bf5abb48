//! The MIME tree of a message: parts in an arena (stable ids, so part
//! objects survive edits elsewhere), parsed from raw bytes and written back
//! byte for byte where nothing changed.

use super::header::{self, Field};

/// Multipart nesting deeper than this is kept as an opaque body.
const MAX_DEPTH: usize = 64;

/// The body of a part.
#[derive(Clone, Debug)]
pub enum Body {
    /// Content as it appears in the message (still transfer-encoded).
    Leaf(Vec<u8>),
    /// A multipart body.
    Multi(Multi),
}

/// A multipart body: `preamble (delimiter child)* close epilogue`.
#[derive(Clone, Debug)]
pub struct Multi {
    /// The boundary parameter.
    pub boundary: Vec<u8>,
    /// Text before the first delimiter (without the line break ending it).
    pub preamble: Vec<u8>,
    /// Each child with the delimiter line written before it (the line
    /// break before `--boundary` belongs to the delimiter).
    pub children: Vec<(Vec<u8>, usize)>,
    /// The closing delimiter line (empty when the message has none).
    pub close: Vec<u8>,
    /// Text after the closing delimiter line.
    pub epilogue: Vec<u8>,
}

/// One MIME part.
#[derive(Clone, Debug)]
pub struct Node {
    /// Header fields in order.
    pub fields: Vec<Field>,
    /// The empty line after the header (empty when missing).
    pub separator: Vec<u8>,
    /// The body.
    pub body: Body,
    /// The enclosing part (`None` for the top).
    pub parent: Option<usize>,
    /// Problems found while parsing this part.
    pub errors: Vec<String>,
}

impl Node {
    /// The unfolded value of the first field called `name`.
    pub fn header(&self, name: &[u8]) -> Option<Vec<u8>> {
        self.fields.iter().find(|f| f.is(name)).map(Field::value)
    }

    /// The lower-case `type/subtype` of `Content-Type`, if present and valid.
    pub fn content_type(&self) -> Option<String> {
        let main = header::main_value(&self.header(b"content-type")?);
        let text = String::from_utf8(main).ok()?.to_ascii_lowercase();
        let (t, s) = text.split_once('/')?;
        (!t.is_empty() && !s.is_empty() && !s.contains('/')).then_some(text)
    }
}

/// A message as a tree of parts.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Option<Node>>,
    /// The top-level part.
    pub root: usize,
    /// The line ending the message uses (`\r\n` unless it uses bare `\n`).
    pub eol: &'static [u8],
}

/// The line ending used by `data`.
pub fn detect_eol(data: &[u8]) -> &'static [u8] {
    match data.iter().position(|&b| b == b'\n') {
        Some(i) if i == 0 || data[i - 1] != b'\r' => b"\n",
        _ => b"\r\n",
    }
}

/// Rewrites every line ending of `data` as `eol`.
pub fn with_eol(data: &[u8], eol: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 32);
    for line in data.split_inclusive(|&b| b == b'\n') {
        match line {
            [t @ .., b'\r', b'\n'] | [t @ .., b'\n'] => {
                out.extend_from_slice(t);
                out.extend_from_slice(eol);
            }
            t => out.extend_from_slice(t),
        }
    }
    out
}

impl Tree {
    /// Parses a whole message.
    pub fn parse(data: &[u8]) -> Tree {
        let mut tree = Tree {
            nodes: Vec::new(),
            root: 0,
            eol: detect_eol(data),
        };
        tree.root = tree.add(data, None, 0);
        tree
    }

    /// Replaces the whole message by `data`; earlier part ids become stale.
    pub fn reparse(&mut self, data: &[u8]) {
        for n in &mut self.nodes {
            *n = None;
        }
        self.eol = detect_eol(data);
        self.root = self.add(data, None, 0);
    }

    /// The part `id`, unless it was removed.
    pub fn node(&self, id: usize) -> Option<&Node> {
        self.nodes.get(id).and_then(Option::as_ref)
    }

    /// The part `id` for editing, unless it was removed.
    pub fn node_mut(&mut self, id: usize) -> Option<&mut Node> {
        self.nodes.get_mut(id).and_then(Option::as_mut)
    }

    /// Parses `data` as a part below `parent` and returns its id.
    fn add(&mut self, data: &[u8], parent: Option<usize>, depth: usize) -> usize {
        let block = header::parse_block(data);
        let id = self.nodes.len();
        let mut node = Node {
            fields: block.fields,
            separator: block.separator,
            body: Body::Leaf(Vec::new()),
            parent,
            errors: block.error.into_iter().collect(),
        };
        let body = &data[block.body_start..];
        self.nodes.push(None);
        let boundary = node
            .header(b"content-type")
            .filter(|_| {
                node.content_type()
                    .is_some_and(|t| t.starts_with("multipart/"))
            })
            .map(|ct| header::param(&ct, "boundary"));
        node.body = match boundary {
            Some(_) if depth >= MAX_DEPTH => {
                node.errors
                    .push(format!("multipart nesting deeper than {MAX_DEPTH} levels"));
                Body::Leaf(body.to_vec())
            }
            Some(None) => {
                node.errors.push("multipart part without a boundary".into());
                Body::Leaf(body.to_vec())
            }
            Some(Some(b)) if b.is_empty() || b.len() > 200 => {
                node.errors
                    .push("multipart boundary is empty or too long".into());
                Body::Leaf(body.to_vec())
            }
            Some(Some(b)) => self.split_multipart(id, body, b, depth, &mut node.errors),
            None => Body::Leaf(body.to_vec()),
        };
        if let Body::Leaf(bytes) = &node.body {
            if let Some(problem) = encoding_problem(&node, bytes) {
                node.errors.push(problem);
            }
        }
        self.nodes[id] = Some(node);
        id
    }

    fn split_multipart(
        &mut self,
        id: usize,
        body: &[u8],
        boundary: Vec<u8>,
        depth: usize,
        errors: &mut Vec<String>,
    ) -> Body {
        let mut dash = b"--".to_vec();
        dash.extend_from_slice(&boundary);
        // (delimiter start, line end, closing?)
        let mut delimiters: Vec<(usize, usize, bool)> = Vec::new();
        let mut pos = 0;
        let mut previous_end = 0;
        while pos < body.len() {
            let end = header::line_end(body, pos);
            let line = &body[pos..end];
            if let Some(rest) = line.strip_prefix(dash.as_slice()) {
                let closing = rest.starts_with(b"--");
                if closing || header::trim(trim_eol(rest)).is_empty() {
                    let break_len = match pos {
                        0 => 0,
                        p if p >= 2 && &body[p - 2..p] == b"\r\n" => 2,
                        _ => 1,
                    };
                    let start = (pos - break_len).max(previous_end);
                    delimiters.push((start, end, closing));
                    previous_end = end;
                    if closing {
                        break;
                    }
                }
            }
            pos = end;
        }
        if delimiters.is_empty() {
            errors.push("multipart boundary not found in the body".into());
            return Body::Leaf(body.to_vec());
        }
        let mut multi = Multi {
            boundary,
            preamble: body[..delimiters[0].0].to_vec(),
            children: Vec::new(),
            close: Vec::new(),
            epilogue: Vec::new(),
        };
        for (i, &(start, end, closing)) in delimiters.iter().enumerate() {
            if closing {
                multi.close = body[start..end].to_vec();
                multi.epilogue = body[end..].to_vec();
                break;
            }
            let content_end = delimiters.get(i + 1).map_or(body.len(), |d| d.0);
            let child = self.add(&body[end..content_end], Some(id), depth + 1);
            multi.children.push((body[start..end].to_vec(), child));
        }
        if multi.close.is_empty() {
            errors.push("multipart has no closing boundary".into());
        }
        Body::Multi(multi)
    }

    /// Appends the bytes of part `id` to `out`.
    pub fn write(&self, id: usize, out: &mut Vec<u8>) {
        let Some(node) = self.node(id) else { return };
        for f in &node.fields {
            out.extend_from_slice(&f.raw);
        }
        out.extend_from_slice(&node.separator);
        match &node.body {
            Body::Leaf(b) => out.extend_from_slice(b),
            Body::Multi(m) => {
                out.extend_from_slice(&m.preamble);
                for (delimiter, child) in &m.children {
                    out.extend_from_slice(delimiter);
                    self.write(*child, out);
                }
                out.extend_from_slice(&m.close);
                out.extend_from_slice(&m.epilogue);
            }
        }
    }

    /// The bytes of part `id`.
    pub fn bytes(&self, id: usize) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(id, &mut out);
        out
    }

    /// The id of a part as scripts see it: `0` for the top, `1`, `1.2`…
    /// below it.
    pub fn part_id(&self, id: usize) -> String {
        let mut path = Vec::new();
        let mut current = id;
        while let Some(parent) = self.node(current).and_then(|n| n.parent) {
            let index = self.children(parent).iter().position(|&c| c == current);
            path.push(index.map_or(0, |i| i + 1));
            current = parent;
        }
        if path.is_empty() {
            return "0".into();
        }
        path.iter()
            .rev()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }

    /// How many parts enclose part `id`.
    fn depth(&self, id: usize) -> usize {
        std::iter::successors(self.node(id).and_then(|n| n.parent), |&p| {
            self.node(p).and_then(|n| n.parent)
        })
        .count()
    }

    /// The direct children of a multipart part.
    pub fn children(&self, id: usize) -> Vec<usize> {
        child_ids(self.node(id))
    }

    /// All parts below `id`, depth first, in message order.
    pub fn descendants(&self, id: usize) -> Vec<usize> {
        self.numbered(id).into_iter().map(|(n, _)| n).collect()
    }

    /// All parts below `id` with their ids as scripts see them, depth
    /// first, in message order (one pass, however wide the tree).
    pub fn numbered(&self, id: usize) -> Vec<(usize, String)> {
        let base = self.part_id(id);
        let prefix = |parent: &str, i: usize| {
            if parent == "0" {
                (i + 1).to_string()
            } else {
                format!("{parent}.{}", i + 1)
            }
        };
        let mut out = Vec::new();
        let mut stack: Vec<(usize, String)> = self
            .children(id)
            .into_iter()
            .enumerate()
            .rev()
            .map(|(i, c)| (c, prefix(&base, i)))
            .collect();
        while let Some((n, pid)) = stack.pop() {
            stack.extend(
                self.children(n)
                    .into_iter()
                    .enumerate()
                    .rev()
                    .map(|(i, c)| (c, prefix(&pid, i))),
            );
            out.push((n, pid));
        }
        out
    }

    /// Removes part `id` (and everything below it) from its parent.
    pub fn detach(&mut self, id: usize) {
        let parent = self.node(id).and_then(|n| n.parent);
        if let Some(Body::Multi(m)) = parent.and_then(|p| self.node_mut(p)).map(|n| &mut n.body) {
            if let Some(i) = m.children.iter().position(|c| c.1 == id) {
                let (delimiter, _) = m.children.remove(i);
                if i == 0 {
                    if let Some(next) = m.children.first_mut() {
                        next.0 = delimiter;
                    }
                }
            }
        }
        for n in self.descendants(id) {
            self.nodes[n] = None;
        }
        self.nodes[id] = None;
    }

    /// Parses `data` as a new child of the multipart part `parent`, at
    /// position `index` (clamped).
    pub fn insert_child(&mut self, parent: usize, index: usize, data: &[u8]) -> Option<usize> {
        let eol = self.eol;
        let child = self.add(data, Some(parent), self.depth(parent) + 1);
        let Some(Body::Multi(m)) = self.node_mut(parent).map(|n| &mut n.body) else {
            self.nodes[child] = None;
            return None;
        };
        let index = index.min(m.children.len());
        let mut delimiter = Vec::new();
        if index > 0 || !m.preamble.is_empty() {
            delimiter.extend_from_slice(eol);
        }
        delimiter.extend_from_slice(b"--");
        delimiter.extend_from_slice(&m.boundary);
        delimiter.extend_from_slice(eol);
        if index == 0 && !m.children.is_empty() && !m.children[0].0.starts_with(eol) {
            let mut shifted = eol.to_vec();
            shifted.extend_from_slice(&m.children[0].0);
            m.children[0].0 = shifted;
        }
        m.children.insert(index, (delimiter, child));
        if m.close.is_empty() {
            m.close = [eol, b"--", &m.boundary, b"--", eol].concat();
        }
        Some(child)
    }

    /// Replaces the header and body of part `id` by those parsed from
    /// `data`; the part keeps its place and id.
    pub fn replace(&mut self, id: usize, data: &[u8]) {
        let Some(parent) = self.node(id).map(|n| n.parent) else {
            return;
        };
        for n in self.descendants(id) {
            self.nodes[n] = None;
        }
        let fresh = self.add(data, parent, self.depth(id));
        let node = self.nodes[fresh].take();
        for child in child_ids(node.as_ref()) {
            if let Some(c) = self.node_mut(child) {
                c.parent = Some(id);
            }
        }
        self.nodes[id] = node;
    }
}

fn child_ids(node: Option<&Node>) -> Vec<usize> {
    match node.map(|n| &n.body) {
        Some(Body::Multi(m)) => m.children.iter().map(|c| c.1).collect(),
        _ => Vec::new(),
    }
}

fn trim_eol(s: &[u8]) -> &[u8] {
    let s = s.strip_suffix(b"\n").unwrap_or(s);
    s.strip_suffix(b"\r").unwrap_or(s)
}

/// The transfer-encoding problem of a leaf body, if any.
fn encoding_problem(node: &Node, body: &[u8]) -> Option<String> {
    let cte = node.header(b"content-transfer-encoding")?;
    if cte.eq_ignore_ascii_case(b"base64") && super::codec::base64_decode(body).is_err() {
        return Some("invalid base64 in the body".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const NESTED: &[u8] = b"Content-Type: multipart/mixed; boundary=outer\r\n\r\npre\r\n--outer\r\nContent-Type: multipart/alternative; boundary=\"in\"\r\n\r\n--in\r\n\r\nplain\r\n--in\r\nContent-Type: text/html\r\n\r\n<b>x</b>\r\n--in--\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\nlast\r\n--outer--\r\nepi\r\n";

    #[test]
    fn nested_multipart_parses_and_writes_back_unchanged() {
        let t = Tree::parse(NESTED);
        assert_eq!(t.bytes(t.root), NESTED);
        let ids: Vec<String> = t.numbered(t.root).into_iter().map(|(_, id)| id).collect();
        assert!(t
            .numbered(t.root)
            .iter()
            .all(|(n, id)| t.part_id(*n) == *id));
        assert_eq!(ids, ["1", "1.1", "1.2", "2"]);
        let Body::Multi(m) = &t.node(t.root).unwrap().body else {
            panic!()
        };
        assert_eq!(m.preamble, b"pre");
        assert_eq!(m.epilogue, b"epi\r\n");
        let html = t.descendants(t.root)[2];
        assert_eq!(t.node(html).unwrap().content_type().unwrap(), "text/html");
        assert!(t.node(t.root).unwrap().errors.is_empty());
    }

    #[test]
    fn malformed_multiparts_report_errors_without_failing() {
        let t = Tree::parse(b"Content-Type: multipart/mixed\r\n\r\nx");
        assert_eq!(
            t.node(t.root).unwrap().errors,
            ["multipart part without a boundary"]
        );
        let t = Tree::parse(b"Content-Type: multipart/mixed; boundary=b\n\n--b\nhello");
        assert_eq!(
            t.node(t.root).unwrap().errors,
            ["multipart has no closing boundary"]
        );
        assert_eq!(
            t.bytes(t.root),
            b"Content-Type: multipart/mixed; boundary=b\n\n--b\nhello"
        );
        let mut deep = Vec::new();
        for _ in 0..200 {
            deep.extend_from_slice(b"Content-Type: multipart/mixed; boundary=b\n\n--b\n");
        }
        let t = Tree::parse(&deep);
        assert_eq!(t.bytes(t.root), deep);
    }

    #[test]
    fn removing_and_inserting_children_keeps_delimiters() {
        let mut t = Tree::parse(NESTED);
        let first = t.children(t.root)[0];
        t.detach(first);
        let text = t.bytes(t.root);
        assert!(text.starts_with(b"Content-Type: multipart/mixed; boundary=outer\r\n\r\npre\r\n--outer\r\nContent-Type: text/plain"));
        let added = t.insert_child(t.root, 0, b"X: 1\r\n\r\nnew").unwrap();
        assert_eq!(t.part_id(added), "1");
        let text = t.bytes(t.root);
        assert!(text.ends_with(b"pre\r\n--outer\r\nX: 1\r\n\r\nnew\r\n--outer\r\nContent-Type: text/plain\r\n\r\nlast\r\n--outer--\r\nepi\r\n"));
    }

    #[test]
    fn damaged_messages_parse_and_write_back_unchanged() {
        let samples: [&[u8]; 2] = [
            NESTED,
            b"Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--b--",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..3000 {
            let mut data = samples[round % 2].to_vec();
            for _ in 0..4 {
                let r = next();
                let i = r as usize % data.len();
                data[i] = (r >> 40) as u8;
            }
            data.truncate(next() as usize % (data.len() + 1));
            let t = Tree::parse(&data);
            assert_eq!(t.bytes(t.root), data);
            assert!(t.numbered(t.root).len() < data.len() + 1);
        }
    }

    #[test]
    fn edits_cannot_nest_parts_without_bound() {
        let mut t = Tree::parse(b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b--\r\n");
        let nested = b"Content-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n\r\nx\r\n--c--\r\n";
        let mut at = t.root;
        for _ in 0..200 {
            let Some(child) = t.insert_child(at, 0, nested) else {
                break;
            };
            at = child;
        }
        assert!(t.depth(at) <= MAX_DEPTH + 1, "{}", t.depth(at));
        assert!(t.bytes(t.root).len() > 200);
    }
}
