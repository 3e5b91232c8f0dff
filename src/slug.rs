//! Slugs: the URL names of content. Lowercase ASCII letters, digits and hyphens, and
//! Chinese characters (CJK ideographs); never all digits (a path segment of
//! digits is an id). Generated slugs turn Chinese characters into toneless pinyin, one
//! syllable a word: 护苗有我 → `hu-miao-you-wo`. Readings are per character, so a
//! polyphone can read oddly (行业 → `xing-ye`, not `hang-ye`): give a slug to choose.

use pinyin::ToPinyin;

pub const MAX_CHARS: usize = 120;

/// Why a slug is refused, or Ok.
pub fn check(slug: &str) -> Result<(), String> {
    let chars = slug.chars().count();
    if chars == 0 || chars > MAX_CHARS {
        return Err(format!("must have 1 to {MAX_CHARS} characters"));
    }
    if slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
        return Err("must not start or end with a hyphen or repeat one".into());
    }
    let allowed =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || is_cjk_ideograph(c);
    if let Some(bad) = slug.chars().find(|c| !allowed(*c)) {
        return Err(format!(
            "may hold lowercase letters, digits, hyphens and Chinese characters only (not `{bad}`)"
        ));
    }
    if slug.chars().all(|c| c.is_ascii_digit()) {
        return Err("must not be all digits (that would read as an id)".into());
    }
    Ok(())
}

/// The Chinese characters a slug is written in: search's (`terms::is_han`) that are in
/// the Basic Multilingual Plane, ranges the spec's JSON Schema pattern can state (past
/// U+FFFF a pattern sees surrogate pairs).
fn is_cjk_ideograph(c: char) -> bool {
    crate::terms::is_han(c) && c <= '\u{FFFF}'
}

/// A readable slug from a title; `fallback` when the title has nothing usable. The title
/// is folded as search folds it first, so full-width letters and digits (２０２４, ＡＩ) are
/// the ASCII ones.
pub fn from_title(title: &str, fallback: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, words: &mut Vec<String>| {
        if !current.is_empty() {
            words.push(std::mem::take(current));
        }
    };
    for c in crate::terms::fold(title).chars() {
        if c.is_ascii_alphanumeric() {
            current.push(c.to_ascii_lowercase());
        } else if let Some(pinyin) = c.to_pinyin() {
            flush(&mut current, &mut words);
            // ü is not a slug character: written `v`, as pinyin input methods type it.
            words.push(pinyin.plain().replace('ü', "v"));
        } else {
            flush(&mut current, &mut words);
        }
    }
    flush(&mut current, &mut words);
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() + 1 > 80 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    if slug.is_empty() {
        return fallback.to_owned();
    }
    if slug.chars().all(|c| c.is_ascii_digit()) {
        slug.insert_str(0, "n-");
    }
    slug
}

/// The first of `base`, `base-2`, `base-3` … that `taken` says is free (tried up to
/// `base-999`).
pub fn first_free<E>(
    base: &str,
    mut taken: impl FnMut(&str) -> Result<bool, E>,
) -> Result<Option<String>, E> {
    for n in 1..1000 {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            format!("{base}-{n}")
        };
        if !taken(&candidate)? {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_titles_become_pinyin() {
        assert_eq!(
            from_title("护苗有我 安全同行", "x"),
            "hu-miao-you-wo-an-quan-tong-xing"
        );
        assert_eq!(
            from_title("2024深港青少年体育交流赛启动", "x"),
            "2024-shen-gang-qing-shao-nian-ti-yu-jiao-liu-sai-qi-dong"
        );
        assert_eq!(from_title("Hello, World!", "x"), "hello-world");
        assert_eq!(from_title("2024", "x"), "n-2024");
        // Full-width letters and digits, common in Chinese titles, are the ASCII ones.
        assert_eq!(from_title("１２３４", "x"), "n-1234");
        assert_eq!(
            from_title("２０２４年ＡＩ論壇", "x"),
            "2024-nian-ai-lun-tan"
        );
        assert_eq!(from_title("!!!", "article"), "article");
        assert!(from_title(&"长".repeat(100), "x").len() <= 80);
    }

    #[test]
    fn u_umlaut_is_written_v_so_that_a_generated_slug_passes_its_own_check() {
        for (title, slug) in [
            ("绿色上网", "lv-se-shang-wang"),
            ("女子足球", "nv-zi-zu-qiu"),
        ] {
            assert_eq!(from_title(title, "x"), slug);
            assert_eq!(check(slug), Ok(()));
        }
    }

    #[test]
    fn checks_slugs() {
        // Extension A (㐀) and compatibility (豈) ideographs are in the pattern's ranges.
        for good in ["news", "hu-miao-2021", "企业文化", "护苗-有我", "㐀", "豈"] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
        // 𠀀 (U+20000) is Chinese to search but past what the pattern states.
        for bad in [
            "", "-a", "a-", "a--b", "Upper", "a b", "a/b", "123", "a?b", "𠀀",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
