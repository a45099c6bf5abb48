//! What the checker, interpreter and language server rely on.

use hsl_catalog::{Catalog, HalonVersion, Hook, Kind, Legacy, Type};

fn v6() -> &'static Catalog {
    Catalog::get(HalonVersion::V6)
}

#[test]
fn helo_has_accept_and_its_argument_keys() {
    let c = v6();
    let accept = c.function("Accept", Some(Hook::Helo)).unwrap();
    assert!(accept.terminates);
    assert!(accept.options.contains(&"extensions".to_string()));
    let keys: Vec<&str> = c
        .variable("$arguments", Some(Hook::Helo))
        .unwrap()
        .keys
        .iter()
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(keys, ["verb", "host", "extensions"]);
}

#[test]
fn queue_hooks_have_their_own_verdicts() {
    let c = v6();
    assert!(c.function("Accept", Some(Hook::PreDelivery)).is_none());
    assert!(
        c.function("Try", Some(Hook::PreDelivery))
            .unwrap()
            .terminates
    );
    assert!(
        c.function("Default", Some(Hook::PostDelivery))
            .unwrap()
            .terminates
    );
    assert_eq!(c.hook(Hook::PreDelivery).implicit, "Try");
    assert_eq!(
        c.hooks_with_function("Try"),
        [Hook::PreDelivery],
        "Try exists only before delivery"
    );
}

#[test]
fn plain_files_see_only_the_core() {
    let c = v6();
    assert!(c.function("length", None).is_some());
    assert!(c.function("Accept", None).is_none());
    assert!(c.variable("$arguments", None).is_none());
    assert!(c.class("Map", None).is_some());
    assert!(c.class("EODMailMessage", None).is_none());
    assert!(c.class("EODMailMessage", Some(Hook::Eod)).is_some());
}

#[test]
fn verdict_replies_per_version() {
    let reject = |v| {
        Catalog::get(v)
            .function("Reject", Some(Hook::Connect))
            .unwrap()
            .reply
            .clone()
    };
    assert_eq!(reject(HalonVersion::V6).as_deref(), Some("554 5.7.1"));
    assert_eq!(reject(HalonVersion::V4).as_deref(), Some("521"));
    let defer = Catalog::get(HalonVersion::V4)
        .function("Defer", Some(Hook::Connect))
        .unwrap();
    assert_eq!(defer.reply.as_deref(), Some("421"));
    assert_eq!(
        v6().function("Reject", Some(Hook::RcptTo))
            .unwrap()
            .reply
            .as_deref(),
        Some("550 5.7.1")
    );
}

#[test]
fn context_is_the_only_writable_variable() {
    let c = v6();
    assert!(
        !c.variable("$context", Some(Hook::Connect))
            .unwrap()
            .readonly
    );
    assert!(
        c.variable("$context", Some(Hook::PostDelivery))
            .unwrap()
            .readonly
    );
    assert!(
        c.variable("$arguments", Some(Hook::Connect))
            .unwrap()
            .readonly
    );
    assert!(
        c.variable("$transaction", Some(Hook::RcptTo))
            .unwrap()
            .readonly
    );
}

#[test]
fn arity_and_signatures() {
    let c = v6();
    let length = c.function("length", None).unwrap();
    assert_eq!((length.min_args(), length.max_args()), (1, Some(1)));
    let find = c.function("str_find", None).unwrap();
    assert_eq!((find.min_args(), find.max_args()), (2, Some(3)));
    assert_eq!(
        find.signature(),
        "str_find(string $string, string $substring[, number $offset = 0]): number"
    );
    let reject = c.function("Reject", Some(Hook::Helo)).unwrap();
    assert_eq!(
        reject.signature(),
        "Reject([string or array $reason, array $options])"
    );
    assert!(
        c.functions(None).any(|f| f.max_args().is_none()),
        "some core function is variadic"
    );
}

#[test]
fn nested_keys_are_typed() {
    let c = v6();
    let code = c
        .variable_key(Some(Hook::Disconnect), "$arguments", &["reply", "code"])
        .unwrap();
    assert_eq!(Type::parse(&code.ty).single(), Some(Kind::Number));
    assert!(c
        .variable_key(Some(Hook::Disconnect), "$arguments", &["reply", "nope"])
        .is_none());
    let mail = c
        .variable_key(Some(Hook::Eod), "$arguments", &["mail"])
        .unwrap();
    assert!(
        c.any_class(&mail.ty).is_some(),
        "the eod mail object has a class"
    );
}

#[test]
fn four_x_connect_names() {
    let c = Catalog::get(HalonVersion::V4);
    assert!(c.variable("$senderip", Some(Hook::Connect)).is_some());
    assert!(c.function("SetSenderIP", Some(Hook::Connect)).is_some());
    assert!(v6().variable("$senderip", Some(Hook::Connect)).is_none());
    assert!(v6().function("SetSenderIP", Some(Hook::Connect)).is_none());
}

#[test]
fn legacy_names_point_to_their_replacement() {
    assert_eq!(
        v6().legacy("strlen"),
        Some(Legacy::Alias {
            replacement: "length",
            note: None
        })
    );
    assert_eq!(
        v6().legacy("in_network"),
        Some(Legacy::Alias {
            replacement: "inet_includes",
            note: None
        })
    );
    let Some(Legacy::Alias { replacement, note }) = v6().legacy("explode") else {
        panic!("explode is a hidden alias")
    };
    assert_eq!(replacement, "str_split");
    assert!(note.unwrap().contains("other order"));
    assert_eq!(
        v6().function("strlen", None).unwrap().name,
        "length",
        "6.x still accepts aliases"
    );
    assert!(
        v6().function("file_get_contents", None).is_none(),
        "deprecated functions are gone in 6.x"
    );
    let v5 = Catalog::get(HalonVersion::V5);
    assert_eq!(
        v5.function("strlen", None).unwrap().name,
        "length",
        "5.x resolves aliases"
    );
    assert_eq!(v6().legacy("length"), None);
}

#[test]
fn core_library_is_complete() {
    let c = v6();
    assert!(c.functions(None).count() >= 150);
    for name in [
        "dns_query",
        "http",
        "pcre_match",
        "json_decode",
        "str_find",
        "array_map",
        "inet_includes",
    ] {
        assert!(c.function(name, None).is_some(), "{name}");
    }
    let map = c.class("Map", None).unwrap();
    assert!(map.methods.iter().any(|m| m.name == "entries"));
}
