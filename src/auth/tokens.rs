//! Signed tokens: short-lived access tokens (JWT) and article preview links.
//!
//! The algorithm is fixed by the server's keys (HS256 secrets by default, or EdDSA key
//! pairs), never taken from a token. Several keys can be active: the first signs, all
//! verify (rotation), each named by the `kid` header.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use serde::{Deserialize, Serialize};

use super::{Role, Secret};

/// Shortest HS256 secret accepted (bytes).
pub const MIN_SECRET_BYTES: usize = 32;
const PREVIEW_AUDIENCE_SUFFIX: &str = "#preview";
/// Clock skew tolerated on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECONDS: u64 = 5;

/// What a key signs with.
#[derive(Debug, Clone)]
pub enum KeyMaterial {
    /// HS256 with a shared secret.
    Hmac(Secret),
    /// EdDSA (Ed25519): a PKCS#8 private key and its public key, both PEM.
    Ed25519 {
        private_pem: Secret,
        public_pem: Vec<u8>,
    },
}

/// One named signing key.
#[derive(Debug, Clone)]
pub struct Key {
    pub kid: String,
    pub material: KeyMaterial,
}

impl Key {
    /// An HS256 key: `kid:secret`, or a bare secret (kid `default`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let (kid, secret) = match raw.split_once(':') {
            Some((kid, secret)) if !kid.is_empty() => (kid.trim(), secret),
            _ => ("default", raw),
        };
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "the JWT secret for key `{kid}` is {} bytes; at least {MIN_SECRET_BYTES} are needed",
                secret.len()
            ));
        }
        Ok(Self {
            kid: kid.to_owned(),
            material: KeyMaterial::Hmac(Secret::new(secret.as_bytes().to_vec())),
        })
    }

    /// An Ed25519 key pair from PEM text, checked now rather than at the first login.
    pub fn ed25519(kid: &str, private_pem: &[u8], public_pem: &[u8]) -> Result<Self, String> {
        EncodingKey::from_ed_pem(private_pem)
            .map_err(|error| format!("Ed25519 private key `{kid}`: {error}"))?;
        DecodingKey::from_ed_pem(public_pem)
            .map_err(|error| format!("Ed25519 public key `{kid}`: {error}"))?;
        Ok(Self {
            kid: kid.to_owned(),
            material: KeyMaterial::Ed25519 {
                private_pem: Secret::new(private_pem.to_vec()),
                public_pem: public_pem.to_vec(),
            },
        })
    }

    /// `kid:private.pem:public.pem`, reading both files.
    pub fn ed25519_files(raw: &str) -> Result<Self, String> {
        let mut parts = raw.trim().splitn(3, ':');
        let (Some(kid), Some(private), Some(public)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!(
                "`{raw}`: an EdDSA key is kid:private-key.pem:public-key.pem"
            ));
        };
        let read =
            |path: &str| std::fs::read(path).map_err(|error| format!("reading {path}: {error}"));
        Self::ed25519(kid, &read(private)?, &read(public)?)
    }

    fn algorithm(&self) -> Algorithm {
        match self.material {
            KeyMaterial::Hmac(_) => Algorithm::HS256,
            KeyMaterial::Ed25519 { .. } => Algorithm::EdDSA,
        }
    }

    fn encoding(&self) -> Result<EncodingKey, String> {
        match &self.material {
            KeyMaterial::Hmac(secret) => Ok(EncodingKey::from_secret(secret.expose())),
            KeyMaterial::Ed25519 { private_pem, .. } => {
                EncodingKey::from_ed_pem(private_pem.expose()).map_err(|error| error.to_string())
            }
        }
    }

    fn decoding(&self) -> Result<DecodingKey, String> {
        match &self.material {
            KeyMaterial::Hmac(secret) => Ok(DecodingKey::from_secret(secret.expose())),
            KeyMaterial::Ed25519 { public_pem, .. } => {
                DecodingKey::from_ed_pem(public_pem).map_err(|error| error.to_string())
            }
        }
    }
}

/// Token settings.
#[derive(Debug, Clone)]
pub struct TokenConfig {
    /// The first key signs; all verify.
    pub keys: Vec<Key>,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub preview_ttl: Duration,
}

impl TokenConfig {
    pub fn with_keys(keys: Vec<Key>) -> Self {
        Self {
            keys,
            issuer: "masthead".into(),
            audience: "masthead-api".into(),
            access_ttl: Duration::minutes(15),
            refresh_ttl: Duration::days(30),
            preview_ttl: Duration::days(7),
        }
    }
}

/// What an access token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id.
    pub sub: String,
    pub role: Role,
    /// The session (refresh-token family) this token belongs to.
    pub sid: String,
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
    pub aud: String,
    pub jti: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct PreviewClaims {
    /// The article id.
    sub: String,
    exp: i64,
    iat: i64,
    iss: String,
    aud: String,
    jti: String,
}

/// Why a token was refused (kept for the log; clients get one generic message).
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token or header: {0}")]
    Malformed(String),
    #[error("unknown key id")]
    UnknownKey,
    #[error("invalid token: {0}")]
    Invalid(String),
}

pub struct Tokens {
    config: TokenConfig,
    /// Fixed by the configuration: a token naming another algorithm is refused.
    algorithm: Algorithm,
    signing: (String, EncodingKey),
    verifying: HashMap<String, DecodingKey>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("config", &self.config)
            .finish()
    }
}

impl Tokens {
    pub fn new(config: TokenConfig) -> Result<Self, String> {
        let first = config.keys.first().ok_or("no JWT signing key configured")?;
        let algorithm = first.algorithm();
        if config.keys.iter().any(|key| key.algorithm() != algorithm) {
            return Err(
                "all JWT keys must use one algorithm (HS256 secrets or EdDSA key pairs, not both)"
                    .into(),
            );
        }
        let signing = (first.kid.clone(), first.encoding()?);
        let verifying = config
            .keys
            .iter()
            .map(|key| Ok((key.kid.clone(), key.decoding()?)))
            .collect::<Result<_, String>>()?;
        Ok(Self {
            config,
            algorithm,
            signing,
            verifying,
        })
    }

    pub fn config(&self) -> &TokenConfig {
        &self.config
    }

    fn header(&self) -> Header {
        let mut header = Header::new(self.algorithm);
        header.kid = Some(self.signing.0.clone());
        header
    }

    /// Every check set here rather than left to the library's defaults (whose leeway is a
    /// minute and which ignore `nbf`): the one algorithm, `exp` and `nbf` with a small
    /// leeway for clock skew between instances, issuer, audience, required claims.
    fn validation(&self, audience: &str, required: &[&str]) -> Validation {
        let mut validation = Validation::new(self.algorithm);
        validation.algorithms = vec![self.algorithm];
        validation.leeway = LEEWAY_SECONDS;
        validation.reject_tokens_expiring_in_less_than = 0;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[self.config.issuer.as_str()]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(required);
        validation
    }

    fn key_for(&self, token: &str) -> Result<&DecodingKey, TokenError> {
        let header =
            decode_header(token).map_err(|error| TokenError::Malformed(error.to_string()))?;
        if header.alg != self.algorithm {
            return Err(TokenError::Invalid(format!(
                "algorithm {:?} is not accepted",
                header.alg
            )));
        }
        let kid = header.kid.ok_or(TokenError::UnknownKey)?;
        self.verifying.get(&kid).ok_or(TokenError::UnknownKey)
    }

    /// A new access token; returns it with its expiry.
    pub fn issue_access(
        &self,
        user_id: i64,
        role: Role,
        session_id: &str,
    ) -> Result<(String, DateTime<Utc>), String> {
        // Token times are real time (what `exp` is checked against), not the app clock.
        let now = Utc::now();
        let exp = now + self.config.access_ttl;
        let claims = AccessClaims {
            sub: user_id.to_string(),
            role,
            sid: session_id.to_owned(),
            exp: exp.timestamp(),
            iat: now.timestamp(),
            iss: self.config.issuer.clone(),
            aud: self.config.audience.clone(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let token =
            encode(&self.header(), &claims, &self.signing.1).map_err(|error| error.to_string())?;
        Ok((token, exp))
    }

    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let key = self.key_for(token)?;
        let validation = self.validation(
            &self.config.audience,
            &["exp", "iat", "iss", "aud", "sub", "jti"],
        );
        decode::<AccessClaims>(token, key, &validation)
            .map(|data| data.claims)
            .map_err(|error| TokenError::Invalid(error.to_string()))
    }

    /// A link token that shows one article's preview to anyone holding it, until it expires.
    pub fn issue_preview(&self, article_id: i64) -> Result<(String, DateTime<Utc>), String> {
        let now = Utc::now();
        let exp = now + self.config.preview_ttl;
        let claims = PreviewClaims {
            sub: article_id.to_string(),
            exp: exp.timestamp(),
            iat: now.timestamp(),
            iss: self.config.issuer.clone(),
            aud: format!("{}{PREVIEW_AUDIENCE_SUFFIX}", self.config.audience),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let token =
            encode(&self.header(), &claims, &self.signing.1).map_err(|error| error.to_string())?;
        Ok((token, exp))
    }

    /// The article a preview token is for.
    pub fn verify_preview(&self, token: &str) -> Result<i64, TokenError> {
        let key = self.key_for(token)?;
        let audience = format!("{}{PREVIEW_AUDIENCE_SUFFIX}", self.config.audience);
        let validation = self.validation(&audience, &["exp", "iat", "iss", "aud", "sub"]);
        let claims = decode::<PreviewClaims>(token, key, &validation)
            .map_err(|error| TokenError::Invalid(error.to_string()))?
            .claims;
        claims
            .sub
            .parse()
            .map_err(|_| TokenError::Invalid("preview subject is not an article id".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(secret: &str) -> Tokens {
        let key = Key::parse(&format!("k1:{secret}")).unwrap_or_else(|e| panic!("{e}"));
        Tokens::new(TokenConfig::with_keys(vec![key])).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn access_tokens_round_trip_and_foreign_ones_fail() {
        let ours = tokens("0123456789abcdef0123456789abcdef");
        let (token, _) = ours.issue_access(7, Role::Editor, "s1").unwrap_or_default();
        let claims = ours.verify_access(&token).ok();
        assert_eq!(
            claims.map(|c| (c.sub, c.role, c.sid)),
            Some(("7".into(), Role::Editor, "s1".into()))
        );
        let theirs = tokens("fedcba9876543210fedcba9876543210");
        assert!(theirs.verify_access(&token).is_err(), "another key's token");
        let (preview, _) = ours.issue_preview(3).unwrap_or_default();
        assert!(
            ours.verify_access(&preview).is_err(),
            "a preview token is no access token"
        );
        assert_eq!(ours.verify_preview(&preview).ok(), Some(3));
        assert!(
            ours.verify_preview(&token).is_err(),
            "an access token is no preview token"
        );
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(Key::parse("k:short").is_err());
        assert_eq!(
            Key::parse("0123456789abcdef0123456789abcdef")
                .map(|k| k.kid)
                .ok(),
            Some("default".into())
        );
    }
}
