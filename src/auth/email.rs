//! Email addresses as Masthead compares them: trimmed and lowercased, here and nowhere
//! else. Login, the login throttle, user lookups, users made or changed through the API
//! and the CLI all go through [`Email`], so ` Ann@Example.com` and `ann@example.com` are
//! one account everywhere.

/// A normalised email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Any text as given at sign-in, normalised (text that is no address matches no one).
    pub fn normalize(raw: &str) -> Self {
        Self(raw.trim().to_lowercase())
    }

    /// An address for a user account: normalised, then checked for the shape
    /// `local@domain` without blanks.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = Self::normalize(raw);
        let well_formed = email
            .0
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
            && !email.0.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed {
            Ok(email)
        } else {
            Err("must be an email address")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_and_case_do_not_make_another_address() {
        assert_eq!(
            Email::normalize(" \tAnn@Example.COM\n"),
            Email::normalize("ann@example.com")
        );
        assert_eq!(
            Email::parse("  Ann@Example.com ").map(|e| e.to_string()),
            Ok("ann@example.com".to_owned())
        );
        for bad in ["", "ann", "@example.com", "ann@", "an n@example.com"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }
}
