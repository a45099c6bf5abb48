fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let (text, _) = hsl_syntax::decode(&bytes);
    let p = hsl_syntax::parse(&text);
    print!("{}", hsl_syntax::dump::dump(&p.program, &text));
    for d in p.diagnostics {
        let lc = hsl_syntax::LineIndex::new(&text).line_col(&text, d.span.start as usize);
        println!("{}:{}: {} {} | {} | {:?}", lc.line + 1, lc.column + 1, d.code, d.message, d.label, d.help);
    }
}
