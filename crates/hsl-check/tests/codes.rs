//! `CODES.md` is the documentation of the rules of `rules::ALL`, generated
//! from them: this test fails when the two differ (run it with
//! `UPDATE_CODES=1` to rewrite the file), and when a rule is incomplete.

use hsl_check::rules;

#[test]
fn codes_md_is_generated_from_the_rules() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("CODES.md");
    let generated = rules::docs();
    if std::env::var_os("UPDATE_CODES").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written == generated,
        "CODES.md differs from the rules; run `UPDATE_CODES=1 cargo test -p hsl-check --test codes`"
    );
    assert!(
        written == hsl_check::DOCS,
        "rebuild after updating CODES.md"
    );
}

#[test]
fn every_rule_is_documented_with_an_example_and_a_fix() {
    let mut seen = std::collections::HashSet::new();
    for rule in rules::ALL {
        assert!(seen.insert(rule.code), "{} listed twice", rule.code);
        assert!(seen.insert(rule.name), "{} named twice", rule.name);
        assert!(rule.doc.contains("```"), "{} has no example", rule.code);
        assert!(rule.doc.contains("Fix:"), "{} has no fix", rule.code);
        let section = hsl_syntax::codes::section(hsl_check::DOCS, rule.code)
            .unwrap_or_else(|| panic!("{} is not in CODES.md", rule.code));
        assert!(section.contains(rule.summary));
        assert_eq!(rules::find(rule.name).map(|r| r.code), Some(rule.code));
        assert_eq!(rules::code_for(&rule.code.to_lowercase()), Ok(rule.code));
    }
    // The codes module and the rule list agree.
    assert_eq!(rules::ALL.len(), 23);
    assert!(rules::ALL.windows(2).all(|w| w[0].code < w[1].code));
}

#[test]
fn unknown_rules_get_the_closest_code_or_name() {
    assert_eq!(rules::code_for(" undefined-variable "), Ok("HSL107"));
    assert_eq!(rules::code_for("hsl001"), Ok("HSL001"));
    assert_eq!(
        rules::code_for("HSL1O7"),
        Err("unknown rule `HSL1O7`; did you mean `HSL107`?".to_string())
    );
    assert_eq!(
        rules::code_for("unused-varible"),
        Err("unknown rule `unused-varible`; did you mean `unused-variable`?".to_string())
    );
}
