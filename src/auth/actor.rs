//! Who is acting, as plain data: what the rules check and the audit trail records. The
//! request extractor [`AuthUser`](super::extract::AuthUser) makes one; rules and store code
//! take `&Actor`, never the extractor.

use super::Role;
use crate::error::ApiError;

/// Who is acting: a signed-in user, or an integration token acting for its creator.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// The effective role: for an integration token, the lesser of its own role and its
    /// creator's role now.
    pub role: Role,
    pub session_id: String,
    /// The integration token acting, if it is one (then `id` is its creator's).
    pub via_token: Option<i64>,
}

impl Actor {
    /// Refuses unless the user's role is one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "the {} role may not do this",
                self.role.as_str()
            )))
        }
    }

    /// Whether an article by `author_id` is this caller's own, for the author role's rule
    /// "own drafts only". Only a user owns: an integration token acts for its creator but
    /// owns nothing of theirs, and which articles a token made is not recorded, so an
    /// author-role token can hand in drafts but neither reads nor changes them afterwards.
    pub fn owns(&self, author_id: Option<i64>) -> bool {
        self.via_token.is_none() && author_id == Some(self.id)
    }

    /// Whose unpublished articles a list by `status` may show: everyone's (`None`) to
    /// editors and admins, their own to authors; an author-role integration token owns
    /// none, so it may not list them (403).
    pub fn unpublished_author_filter(&self) -> Result<Option<i64>, ApiError> {
        if self.role.edits_all_content() {
            Ok(None)
        } else if self.via_token.is_none() {
            Ok(Some(self.id))
        } else {
            Err(ApiError::Forbidden(
                "an integration token with the author role owns no articles to list by status"
                    .into(),
            ))
        }
    }
}
