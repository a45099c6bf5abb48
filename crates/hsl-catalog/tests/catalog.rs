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
    let options: Vec<(&str, &str)> = accept
        .options
        .iter()
        .map(|k| (k.name.as_str(), k.ty.as_str()))
        .collect();
    assert_eq!(
        options,
        [
            ("extensions", "array"),
            ("host", "string"),
            ("reason", "string"),
            ("reply_codes", "array")
        ]
    );
    let reject = c.function("Reject", Some(Hook::Helo)).unwrap();
    let codes = reject
        .options
        .iter()
        .find(|k| k.name == "reply_codes")
        .unwrap();
    let nested: Vec<&str> = codes.keys.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(nested, ["code", "enhanced"]);
    assert!(!reject.options_open);
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
fn verdict_replies_per_version_with_their_source() {
    let reply = |v, hook, name| Catalog::get(v).reply(hook, name).unwrap().clone();
    for v in [HalonVersion::V4, HalonVersion::V5, HalonVersion::V6] {
        // The connect page: Reject 521 and Defer 421, both closing.
        let reject = reply(v, Hook::Connect, "Reject");
        assert_eq!((reject.code, reject.closes), (521, true), "{v}");
        let defer = reply(v, Hook::Connect, "Defer");
        assert_eq!((defer.code, defer.closes), (421, true), "{v}");
        assert_eq!(reply(v, Hook::MailFrom, "Reject").code, 554, "{v}");
        assert_eq!(reply(v, Hook::RcptTo, "Reject").code, 554, "{v}");
        assert_eq!(reply(v, Hook::RcptTo, "Defer").code, 450, "{v}");
        assert!(!reply(v, Hook::RcptTo, "Defer").closes);
        // The end-of-data Defer has its own code.
        assert_eq!(reply(v, Hook::Eod, "Defer").code, 421, "{v}");
        assert_eq!(reply(v, Hook::Eod, "Reject").code, 550, "{v}");
        assert_eq!(reply(v, Hook::Auth, "Reject").code, 535, "{v}");
        assert_eq!(reply(v, Hook::Proxy, "Reply").code, 250, "{v}");
    }
    // Each version cites its own manual where it states the code.
    let v4 = reply(HalonVersion::V4, Hook::Connect, "Reject").source;
    assert_eq!(
        (v4.document.as_str(), v4.page.as_str()),
        ("Halon 4.8", "connect.rst")
    );
    let v5 = reply(HalonVersion::V5, Hook::MailFrom, "Reject").source;
    assert_eq!(
        (v5.document.as_str(), v5.page.as_str()),
        ("Halon 5.2", "mailfrom.rst")
    );
    // 6.x pages state the HELO codes; elsewhere the newest stated code stands.
    let helo = reply(HalonVersion::V6, Hook::Helo, "Reject").source;
    assert_eq!(
        (helo.document.as_str(), helo.page.as_str()),
        ("Halon 6.x", "7.3 HELO")
    );
    let connect = reply(HalonVersion::V6, Hook::Connect, "Reject").source;
    assert_eq!(connect.document, "Halon 5.2");
    // 4.8 states no auth Reject code: the 5.2 page's stands.
    let auth = reply(HalonVersion::V4, Hook::Auth, "Reject");
    assert_eq!(
        (auth.code, auth.source.document.as_str()),
        (535, "Halon 5.2")
    );
    // No page states an enhanced code; accepting verdicts use the protocol's code.
    assert_eq!(reply(HalonVersion::V6, Hook::Eod, "Reject").enhanced, None);
    let accept = reply(HalonVersion::V6, Hook::Connect, "Accept");
    assert_eq!(
        (accept.code, accept.source.document.as_str()),
        (220, "RFC 5321")
    );
    assert_eq!(accept.to_string(), "220");
    // Queue hooks send no SMTP reply; non-verdicts have none.
    assert!(v6().reply(Hook::PreDelivery, "Try").is_none());
    assert!(v6().reply(Hook::Helo, "length").is_none());
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
    assert_eq!(
        Catalog::get(HalonVersion::V5).legacy("file_get_contents"),
        Some(Legacy::Deprecated)
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

#[test]
fn older_versions_have_their_own_library() {
    let v4 = Catalog::get(HalonVersion::V4);
    let v5 = Catalog::get(HalonVersion::V5);
    assert!(v4.function("dns", None).is_some());
    assert!(v4.function("strlen", None).is_some());
    assert_eq!(
        v4.legacy("strlen"),
        None,
        "4.x's own names are not old there"
    );
    assert!(
        v4.function("length", None).is_none(),
        "length came with 5.x"
    );
    assert_eq!(v4.newer_version_with("length"), Some(HalonVersion::V5));
    for name in ["stat", "rate", "dnsbl"] {
        assert!(v5.function(name, None).is_some(), "{name}");
        assert!(v6().function(name, None).is_none(), "{name}");
    }
    assert!(v5.function("str_chunk", None).is_none());
    assert_eq!(v5.newer_version_with("str_chunk"), Some(HalonVersion::V6));
    assert_eq!(v6().newer_version_with("str_chunk"), None);
    // 5.x end of data: eodonce and eodrcpt together are the eod hook.
    for name in [
        "GetMailMessage",
        "Deliver",
        "Quarantine",
        "Accept",
        "History",
    ] {
        assert!(v5.function(name, Some(Hook::Eod)).is_some(), "{name}");
    }
    assert!(v5.class("EODMailMessage", Some(Hook::Eod)).is_some());
    assert!(v5.variable("$recipient", Some(Hook::Eod)).is_some());
    // 4.x: the DATA page is the eod hook, with flat variables.
    assert!(v4.function("Deliver", Some(Hook::Eod)).is_some());
    assert!(v4.function("GetMailMessage", Some(Hook::Eod)).is_none());
    assert!(v4.variable("$senderhelo", Some(Hook::Helo)).is_some());
    assert!(v4.variable("$arguments", Some(Hook::Helo)).is_none());
    let deliver = v4.reply(Hook::Eod, "Deliver").unwrap();
    assert_eq!(
        (deliver.code, deliver.source.page.as_str()),
        (250, "eodrcpt.rst")
    );
    // Options with types from the 5.2 facts, core functions included.
    let http = v5.function("http", None).unwrap();
    assert!(http
        .options
        .iter()
        .any(|k| k.name == "timeout" && k.ty == "number"));
    // Hooks a manual has no page for use the next newer version's.
    assert!(v4.function("Reply", Some(Hook::Proxy)).is_some());
    assert!(v5.function("Pass", Some(Hook::Disconnect)).is_some());
}
