//! The layout of each construct, reviewed as snapshots (input, then output).

use hsl_fmt::{format, Options};

fn fmt(name: &str, source: &str, options: &Options) {
    let out = format(source, options).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    insta::assert_snapshot!(name, format!("{source}\n---\n{out}"));
}

fn default(name: &str, source: &str) {
    fmt(name, source, &Options::default());
}

#[test]
fn statements() {
    default(
        "if_else_chains",
        "if($a){echo 1;}else if($b) echo 2;\nelse{echo 3;}\nif ($c) { } else { ; }",
    );
    default(
        "loops",
        "for($i=0;$i<10;$i++){continue;}\nforeach($list as $k=>$v) echo $v;\nwhile(true){break;}\nforever{break;}\nfor(;;) {}",
    );
    default(
        "switch",
        "switch($k){case \"a\": case \"b\": echo 1; break;\ndefault: echo 2;}",
    );
    default(
        "try_catch_throw",
        "try{throw Exception(\"x\");}catch($e){echo $e->message();}",
    );
    default(
        "functions_and_classes",
        "function add($a,$b=10,...$rest){global $n;return $a+$b;}\nclass Counter{private $count=0;static readonly $x;constructor($n){$this->count=$n;}\nprivate static function make(){return none;}}",
    );
    default(
        "imports_and_includes",
        "import {a,b as c,$x as $y} from \"lib\";\nimport * as ns from \"ns\";\nimport $data from \"d.json\" with [\"type\"=>\"json\"];\ninclude \"file.hsl\";\ninclude_once 'X'raw'X';",
    );
    default(
        "barrier_and_cache",
        "barrier \"lock\"=>$shared{$shared=1;}\n$r=cache [\"ttl\"=>60] http(\"https://example.org\");",
    );
}

#[test]
fn expressions() {
    default(
        "operators",
        "$x=1+2*3;$y=!$a and not $b or $c??$d;$z=- -$n;$w=+ +$n;$v=$a.$b;$u=$s=~#/a\\/b/i;$t=$a**-$b;$i++;--$j;$k.=\"x\";",
    );
    default(
        "subscripts_and_members",
        "$a[0][\"k\"]->name;$a[...[\"x\",\"y\"]]=1;$a[]=2;$s[1:2];$s[::-1];$s[:3];Cls::$v;Cls::method();static::$n;$f = builtin strlen;",
    );
    default(
        "ternary_and_match",
        "$r=$c?$a:$b;$e=$x?:\"default\";$m=match($n%3){0=>\"fizz\",1,2=>\"other\",default=>\"?\"};",
    );
    default(
        "closures",
        "$f=function($x)closure($n){return $x+$n;};\n$sorted=array_sort(function($p,$q){return $p<$q;},$list);\nusort($list,function($a,$b){return $a<$b;});",
    );
    default(
        "destructuring",
        "[$a,$b=2,...$rest]=$list;[\"k\"=>$v=none]=$map;",
    );
}

#[test]
fn breaking_long_lines() {
    default(
        "long_call",
        "$result = some_rather_long_function_name($first_argument_value, $second_argument_value, $third_argument_value);",
    );
    default(
        "long_array",
        "$list = [\"alpha\", \"bravo\", \"charlie\", \"delta\", \"echo\", \"foxtrot\", \"golf\", \"hotel\", \"india\", \"juliett\", \"kilo\"];",
    );
    default(
        "keyed_array_written_broken_stays_broken",
        "$opts = [\n\"ttl\" => 60, \"size\" => 10];\n$short = [\"ttl\" => 60, \"size\" => 10];",
    );
    default(
        "last_argument_hugged",
        "http_request(\"https://example.org/api\", [\"method\" => \"POST\", \"headers\" => [\"Content-Type: application/json\"], \"timeout\" => 5]);",
    );
    default(
        "long_condition",
        "if ($transaction[\"senderaddress\"][\"domain\"] == \"example.org\" and $connection[\"remoteip\"] != \"192.0.2.1\" or $force) { Reject(); }",
    );
    default(
        "long_concatenation",
        "$message = \"The message from \" . $transaction[\"senderaddress\"] . \" was rejected because \" . $reason . \".\";",
    );
    default(
        "nested_calls",
        "echo outer_function(inner_function($aaaaaaaaaaaaaaaa, $bbbbbbbbbbbbbbbbbbb), other_function($ccccccccccccccccccc));",
    );
}

#[test]
fn comments_and_blank_lines() {
    default(
        "comments",
        "// header\n\n\n/* block */\n$a = 1; // trailing\n$b = 2; /* trailing block */\n\n\n\nfoo($x, // after first\n    $y /* inline */, /* before z */ $z);\nif ($a) {\n    echo 1;\n} // before else\nelse {\n    // only a comment\n}\ntry { } // before catch\ncatch ($e) { }\n$list = [\n    1, // one\n    // own line\n    2,\n];\n// at the end\n",
    );
    default(
        "comment_inside_empty_brackets",
        "foo(/* nothing */);\n$a = [\n// empty\n];\nfunction f() {\n    // todo\n}",
    );
}

#[test]
fn literals_keep_their_text() {
    default(
        "literals",
        "$n = 0x1F + 0b1010 + 0o17 + 1_000 + 2.50;\n$s = \"tab\\t $name ${other} \\x41\";\n$r = 'EOT'line one\nline 'two''EOT';\n$re = #/^a\\/b+$/i;",
    );
}

#[test]
fn options() {
    let source = "if ($a) { foo($first_argument, $second_argument, $third_argument); }";
    fmt(
        "tabs_and_narrow_width",
        source,
        &Options {
            use_tabs: true,
            line_width: 40,
            ..Options::default()
        },
    );
    fmt(
        "indent_width_two",
        source,
        &Options {
            indent_width: 2,
            ..Options::default()
        },
    );
}

#[test]
fn syntax_errors_are_not_formatted() {
    let errors = format("if ($a { echo 1; }", &Options::default()).unwrap_err();
    assert!(!errors.is_empty());
}
