//! `hsl simulate --output-format junit`: the report CI systems read.

mod common;

use common::hsl;

#[test]
fn one_test_case_per_session_with_failures_and_errors() {
    let o = hsl(&[
        "simulate",
        "--output-format",
        "junit",
        "simulate/failing",
        "simulate/invalid/unknown-hook.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2), "an invalid session file exits 2");
    let xml = String::from_utf8(o.stdout).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"3\" failures=\"1\" errors=\"1\">"), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 3);
    assert!(xml.contains(
        "<testcase name=\"passes\" classname=\"simulate/failing/passes.yaml\">\n      <system-out>== passes"
    ));
    assert!(xml.contains(
        "<failure message=\"expectation 1 (command &quot;RCPT TO:&lt;someone@elsewhere.example&gt;&quot;)\" type=\"expectation\">expected: reply 250 2.1.5\nactual:   reply 554 Relaying denied</failure>"
    ), "{xml}");
    assert_eq!(
        xml.matches("<failure ").count(),
        5,
        "every failed expectation"
    );
    assert!(xml.contains(
        "<testcase name=\"unknown-hook\" classname=\"simulate/invalid/unknown-hook.yaml\">\n      <error message=\"simulate/invalid/unknown-hook.yaml:"
    ), "{xml}");
    assert!(xml.ends_with("  </testsuite>\n</testsuites>\n"));
    assert!(!xml.contains('\x1b'), "no colours in XML");
}

#[test]
fn a_passing_suite_exits_0_with_no_failure_elements() {
    let o = hsl(&[
        "simulate",
        "--output-format",
        "junit",
        "simulate/failing/passes.yaml",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let xml = String::from_utf8(o.stdout).unwrap();
    assert!(xml.contains("<testsuites tests=\"1\" failures=\"0\" errors=\"0\">"));
    assert!(!xml.contains("<failure") && !xml.contains("<error"));
}
