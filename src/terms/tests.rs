use super::*;

#[test]
fn chinese_runs_become_overlapping_pairs_and_words_stay_words() {
    assert_eq!(index_terms("护苗有我"), "护苗 苗有 有我");
    assert_eq!(index_terms("网"), "网");
    assert_eq!(
        index_terms("2021年，AI安全教育！"),
        "2021 年 ai 安全 全教 教育"
    );
    assert_eq!(index_terms("  ,,, "), "");
}

#[test]
fn full_width_case_and_traditional_forms_fold_to_one_form() {
    assert_eq!(fold("ＡＩ２０２１"), "ai2021");
    assert_eq!(fold("網絡安全"), "网络安全");
    assert_eq!(index_terms("網絡"), index_terms("网络"));
    // One character in, at most one out: positions map back to the text.
    for text in ["ＡＩ安全，網絡", "㍿½ﬁ"] {
        assert!(fold(text).chars().count() <= text.chars().count());
    }
}

#[test]
fn queries_are_phrases_of_the_same_terms() {
    let query = Query::parse("护苗").unwrap();
    assert_eq!(query.parts, vec![Part::Phrase(vec!["护苗".into()])]);
    let query = Query::parse("网络安全 未成年人").unwrap();
    assert_eq!(
        query.parts,
        vec![
            Part::Phrase(vec!["网络".into(), "络安".into(), "安全".into()]),
            Part::Phrase(vec!["未成".into(), "成年".into(), "年人".into()]),
        ]
    );
    assert_eq!(query.fts5(), "\"网络 络安 安全\" AND \"未成 成年 年人\"");
    assert_eq!(
        query.tsquery(),
        "('网络' <-> '络安' <-> '安全') & ('未成' <-> '成年' <-> '年人')"
    );
    let mixed = Query::parse("AI安全").unwrap();
    assert_eq!(
        mixed.parts,
        vec![Part::Phrase(vec!["ai".into(), "安全".into()])]
    );
    assert_eq!(mixed.needles, vec!["ai安全".to_owned()]);
    // One character after a word begins a pair in the text or stands alone: a prefix.
    let year = Query::parse("２０２１年").unwrap();
    assert_eq!(
        year.parts,
        vec![Part::PhraseThenPrefix(vec!["2021".into(), "年".into()])]
    );
    assert_eq!(year.fts5(), "\"2021 年\"*");
    assert_eq!(year.tsquery(), "('2021' <-> '年':*)");
    // One character before a word may end a pair in the text: left out of the phrase,
    // still marked.
    let edition = Query::parse("第3届").unwrap();
    assert_eq!(
        edition.parts,
        vec![Part::PhraseThenPrefix(vec!["3".into(), "届".into()])]
    );
    assert_eq!(edition.needles, vec!["第3届".to_owned()]);
}

#[test]
fn grams_hold_every_stretch_of_up_to_six_characters_and_where_words_meet_chinese_once() {
    assert_eq!(
        index_grams("护苗有我，护苗！AI安全 网").join(" "),
        "护苗 护苗有 护苗有我 苗有 苗有我 有我 苗ai ai ai安 安全 网"
    );
    // A word and the Chinese character next to it, on either side, separators or not.
    assert_eq!(
        index_grams("举办第3届TOP峰会，2023 年").join(" "),
        "举办 举办第 办第 第3 3 3届 届 届top top top峰 峰会 会2023 2023 2023年 年"
    );
    assert!(index_grams("  ,,, ").is_empty());
    // The first ones, up to the cap: a tsvector has a size limit.
    let long: String = (0..40_000u32)
        .map(|n| char::from_u32(0x4e00 + n % 20_000).unwrap_or('一'))
        .collect();
    let grams = index_grams(&long);
    let bytes: usize = grams.iter().map(|gram| gram.len() + 4).sum();
    assert!(
        bytes <= MAX_GRAM_BYTES && bytes > MAX_GRAM_BYTES - 30,
        "{bytes}"
    );
    assert_eq!(grams[0], "一丁");
    // A word no query can be as long as is left out.
    assert!(index_grams(&"a".repeat(MAX_QUERY_CHARS + 1)).is_empty());
}

#[test]
fn queries_of_up_to_six_characters_are_one_gram_and_longer_ones_are_checked() {
    let exact = Query::parse("网络安全 护苗 AI 网 未成年人保护").unwrap();
    assert_eq!(
        exact.tsquery_grams(),
        (
            "'网络安全' & '护苗' & 'ai' & '网':* & '未成年人保护'".to_owned(),
            None
        )
    );
    let long = Query::parse("未成年人保护法 AI安全").unwrap();
    assert_eq!(
        long.tsquery_grams(),
        (
            "'未成年人保护' & '成年人保护法' & 'ai安' & '安全'".to_owned(),
            Some(
                "('未成' <-> '成年' <-> '年人' <-> '人保' <-> '保护' <-> '护法') & ('ai' <-> '安全')"
                    .to_owned()
            )
        )
    );
    // A one-character run inside a phrase is that character, as the index writes it; at
    // the end, it is also the start of the stretches it begins.
    let inside = Query::parse("AI年2021").unwrap();
    assert_eq!(
        inside.tsquery_grams(),
        (
            "'ai年' & '年2021'".to_owned(),
            Some("('ai' <-> '年' <-> '2021')".to_owned())
        )
    );
    let year = Query::parse("2021年").unwrap();
    assert_eq!(year.tsquery_grams(), ("'2021年'".to_owned(), None));
}

#[test]
fn one_chinese_character_is_a_prefix_of_pairs() {
    let query = Query::parse("网").unwrap();
    assert_eq!(query.parts, vec![Part::Prefix("网".into())]);
    assert_eq!(query.fts5(), "\"网\"*");
    assert_eq!(query.tsquery(), "'网':*");
    // A one-letter word is a word, not a prefix.
    assert_eq!(
        Query::parse("a").unwrap().parts,
        vec![Part::Phrase(vec!["a".into()])]
    );
}

#[test]
fn operators_and_punctuation_never_reach_the_database() {
    for raw in [
        "\"",
        "* OR *",
        "NEAR(",
        "'; DROP TABLE articles; --",
        "(((",
        "护苗\" OR \"x",
    ] {
        if let Ok(query) = Query::parse(raw) {
            for part in &query.parts {
                let terms = match part {
                    Part::Phrase(terms) | Part::PhraseThenPrefix(terms) => terms.clone(),
                    Part::Prefix(start) => vec![start.clone()],
                };
                for term in terms {
                    assert!(
                        term.chars().all(|c| c.is_alphanumeric()),
                        "{raw:?} gave the term {term:?}"
                    );
                }
            }
        }
    }
    assert_eq!(Query::parse("  "), Err(QueryError::Empty));
    assert_eq!(Query::parse("，。！"), Err(QueryError::NothingToSearch));
    assert_eq!(
        Query::parse(&"护".repeat(MAX_QUERY_CHARS + 1)),
        Err(QueryError::TooLong)
    );
    let many = (0..=MAX_QUERY_PARTS)
        .map(|n| format!("w{n}"))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(Query::parse(&many), Err(QueryError::TooManyParts));
}

#[test]
fn snippets_mark_matches_escape_html_and_cut_around_the_first() {
    let needles = vec!["护苗".to_owned()];
    assert_eq!(
        snippet("<b>护苗</b>有我", &needles, None),
        "&lt;b&gt;<mark>护苗</mark>&lt;/b&gt;有我"
    );
    let long = format!("{}开展护苗工作{}", "前".repeat(100), "后".repeat(100));
    let cut = snippet(&long, &needles, Some(60));
    assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
    assert!(cut.contains("开展<mark>护苗</mark>工作"), "{cut}");
    assert_eq!(
        cut.chars().filter(|c| *c == '前').count(),
        LEAD_FOR_TESTS - 2
    );
    // Matching ignores case, width and the spaces between.
    let mixed = vec!["ai安全".to_owned()];
    assert_eq!(
        snippet("关于ＡＩ 安全的讨论", &mixed, None),
        "关于<mark>ＡＩ 安全</mark>的讨论"
    );
    // No match: the start of the text.
    assert_eq!(snippet("一二三四五", &needles, Some(3)), "一二三…");
    // Letters and digits are marked where a word starts, as they are found.
    let words = Query::parse("e-mail").expect("query").needles;
    assert_eq!(
        snippet("Node.js e-mail", &words, None),
        "Node.js <mark>e</mark>-<mark>mail</mark>"
    );
    let mixed = Query::parse("ai安全").expect("query").needles;
    assert_eq!(
        snippet("OpenAI安全 AI安全", &mixed, None),
        "OpenAI安全 <mark>AI安全</mark>"
    );
}

const LEAD_FOR_TESTS: usize = 24;

#[test]
fn words_are_what_can_carry_a_subject() {
    let words = words("南山区开展未成年人网络安全专题培训，共有120人参加。");
    assert!(
        words.iter().any(|w| w == "网络安全" || w == "网络"),
        "{words:?}"
    );
    assert!(words.iter().any(|w| w == "培训"), "{words:?}");
    assert!(!words.iter().any(|w| w.chars().count() < 2), "{words:?}");
    assert!(!words.iter().any(|w| w == "120"), "{words:?}");
}

#[test]
fn titles_are_found_by_their_pinyin_and_its_initials() {
    let terms = pinyin_terms("护苗有我：AI课堂");
    for expected in ["humiao", "hm", "ai", "humiaoyouwoaiketang"] {
        assert!(
            terms.split(' ').any(|t| t == expected),
            "{expected} in {terms}"
        );
    }
    let joined = |raw: &str| pinyin_typed(raw).map(|typed| typed.joined);
    assert_eq!(joined(" HuMiao "), Some("humiao".into()));
    assert_eq!(joined("hu miao"), Some("humiao".into()));
    assert_eq!(joined("护苗"), None);
    assert_eq!(joined("hm*"), None);
    // Tone marks are dropped, ü is kept as the titles' pinyin has it.
    assert_eq!(joined("Hùmiáo"), Some("humiao".into()));
    assert_eq!(joined("lǜ"), Some("lü".into()));
    // Parts apart, each the start of a word; the whole or every part.
    let typed = pinyin_typed("Humiao  anquan").expect("pinyin");
    assert_eq!(typed.parts, ["humiao", "anquan"]);
    assert_eq!(
        typed.alternatives(),
        [vec!["humiaoanquan"], vec!["humiao", "anquan"]]
    );
    assert_eq!(
        pinyin_typed("hm").expect("pinyin").alternatives(),
        [vec!["hm"]]
    );
    let title = "护苗有我 安全同行";
    assert_eq!(typed.needles(title), ["安全", "护苗"]);
    assert_eq!(
        pinyin_typed("hu miao").expect("pinyin").needles(title),
        ["护苗"]
    );
}

#[test]
fn what_a_pinyin_prefix_stands_for_in_a_title_is_marked() {
    let title = "护苗有我：AI课堂，呵护";
    assert_eq!(pinyin_needles(title, "humi"), vec!["护苗"]);
    assert_eq!(pinyin_needles(title, "hm"), vec!["护苗"]);
    // Every place it could start, whole syllables before the last.
    assert_eq!(pinyin_needles(title, "hu"), vec!["护"]);
    assert_eq!(pinyin_needles(title, "humiaoyouwo"), vec!["护苗有我"]);
    assert_eq!(pinyin_needles(title, "ai"), vec!["ai"]);
    assert_eq!(pinyin_needles(title, "aik"), vec!["ai课"]);
    // Not from inside a word, nor across a punctuation mark.
    assert!(pinyin_needles(title, "iketang").is_empty());
    assert!(pinyin_needles(title, "woai").is_empty());
    assert!(pinyin_needles(title, "xyz").is_empty());
    assert_eq!(
        snippet(title, &pinyin_needles(title, "hm"), None),
        "<mark>护苗</mark>有我：AI课堂，呵护"
    );
    // Input methods' v for ü.
    let title = "绿色出行，女排夺冠";
    assert_eq!(pinyin_spellings("lvse"), ["lvse", "lüse"]);
    assert_eq!(pinyin_spellings("nvlv"), ["nvlv", "nülü"]);
    assert_eq!(pinyin_spellings("video"), ["video"]);
    assert_eq!(pinyin_needles(title, "lvse"), vec!["绿色"]);
    assert_eq!(pinyin_needles(title, "lüse"), vec!["绿色"]);
    assert_eq!(pinyin_needles(title, "nvp"), vec!["女排"]);
    assert_eq!(pinyin_needles(title, "lvcx"), Vec::<String>::new());
    assert_eq!(pinyin_needles(title, "lvsechux"), vec!["绿色出行"]);
}
