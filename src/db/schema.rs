//! The portable schema: only column types both SQLite and PostgreSQL support through
//! diesel's `MultiConnection` (instants as UTC `Timestamp`).

diesel::table! {
    site_settings (id) {
        id -> BigInt,
        name -> Text,
        description -> Text,
        url -> Nullable<Text>,
        logo_url -> Nullable<Text>,
        locale -> Text,
        time_zone -> Text,
        utc_offset_minutes -> Integer,
        copyright -> Text,
        credits -> Text,
        icp_record -> Nullable<Text>,
        updated_at -> Timestamp,
        version -> BigInt,
        logo_media_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    site_contacts (id) {
        id -> BigInt,
        position -> Integer,
        label -> Text,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
    }
}

diesel::table! {
    media (id) {
        id -> BigInt,
        url -> Text,
        alt -> Text,
        caption -> Nullable<Text>,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        mime_type -> Text,
        created_at -> Timestamp,
        version -> BigInt,
        storage_key -> Nullable<Text>,
        byte_size -> Nullable<BigInt>,
        credit -> Nullable<Text>,
        focal_x -> Nullable<Integer>,
        focal_y -> Nullable<Integer>,
        placeholder -> Nullable<Text>,
        renditions -> Text,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        parent_id -> Nullable<BigInt>,
        slug -> Text,
        name -> Text,
        description -> Text,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    articles (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        subtitle -> Nullable<Text>,
        summary -> Text,
        body_html -> Text,
        cover_media_id -> Nullable<BigInt>,
        source -> Nullable<Text>,
        author_name -> Nullable<Text>,
        category_id -> Nullable<BigInt>,
        status -> Text,
        published_at -> Nullable<Timestamp>,
        utc_offset_minutes -> Integer,
        seo_title -> Nullable<Text>,
        seo_description -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        author_id -> Nullable<BigInt>,
        version -> BigInt,
    }
}

diesel::table! {
    article_tags (article_id, tag_id) {
        article_id -> BigInt,
        tag_id -> BigInt,
        /// Mirrors the article's `published_at` while it is published, NULL otherwise
        /// (kept by database triggers).
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    article_media (article_id, media_id) {
        article_id -> BigInt,
        media_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    pages (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        summary -> Text,
        body_html -> Text,
        status -> Text,
        seo_title -> Nullable<Text>,
        seo_description -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    magazine_issues (id) {
        id -> BigInt,
        number -> Nullable<Integer>,
        title -> Text,
        year -> Integer,
        description -> Text,
        cover_media_id -> Nullable<BigInt>,
        published_on -> Date,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    magazine_issue_articles (issue_id, article_id) {
        issue_id -> BigInt,
        article_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    menus (id) {
        id -> BigInt,
        key -> Text,
        name -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    menu_items (id) {
        id -> BigInt,
        menu_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        position -> Integer,
        label -> Text,
        kind -> Text,
        target_id -> Nullable<BigInt>,
        url -> Nullable<Text>,
    }
}

diesel::table! {
    /// One row whose `version` every content change increments (database triggers).
    content_changes (id) {
        id -> BigInt,
        version -> BigInt,
    }
}

diesel::table! {
    /// The latest content version at which each key changed (database triggers; see
    /// `content::changes`).
    content_change_keys (name) {
        name -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor -> Text,
        action -> Text,
        resource -> Text,
        resource_id -> Nullable<BigInt>,
        summary -> Text,
    }
}

diesel::table! {
    article_slug_history (slug) {
        slug -> Text,
        article_id -> BigInt,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        name -> Text,
        role -> Text,
        token_hash -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

// The search tables (migration `…_search`); the full-text index itself (`article_search`)
// differs per backend and is reached through SQL in `resources::search`.
diesel::table! {
    article_words (article_id) {
        article_id -> BigInt,
        words -> Text,
    }
}

diesel::table! {
    word_counts (term) {
        term -> Text,
        articles -> BigInt,
    }
}

diesel::table! {
    article_terms (article_id, term) {
        article_id -> BigInt,
        term -> Text,
        weight -> Integer,
    }
}

diesel::table! {
    article_related (article_id, related_id) {
        article_id -> BigInt,
        related_id -> BigInt,
        pinned -> Bool,
        score -> Integer,
    }
}

diesel::table! {
    /// Published articles (stored as published, with a publication time, future ones
    /// included) by `scope`: `site` (key 0), `category` (its id, direct), `tag` (its id),
    /// `month` (year * 12 + month - 1 in the site's offset). Kept by database triggers
    /// (migration `…_published_counts`); read through `content::counts`.
    published_counts (scope, key) {
        scope -> Text,
        key -> BigInt,
        articles -> BigInt,
    }
}

diesel::joinable!(articles -> categories (category_id));
diesel::joinable!(articles -> media (cover_media_id));
diesel::joinable!(article_tags -> articles (article_id));
diesel::joinable!(article_tags -> tags (tag_id));
diesel::joinable!(article_media -> articles (article_id));
diesel::joinable!(article_media -> media (media_id));
diesel::joinable!(magazine_issue_articles -> articles (article_id));
diesel::joinable!(magazine_issue_articles -> magazine_issues (issue_id));
diesel::joinable!(magazine_issues -> media (cover_media_id));
diesel::joinable!(site_settings -> media (logo_media_id));
diesel::joinable!(menu_items -> menus (menu_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(article_slug_history -> articles (article_id));

diesel::allow_tables_to_appear_in_same_query!(
    site_settings,
    site_contacts,
    media,
    categories,
    tags,
    articles,
    article_tags,
    article_media,
    pages,
    magazine_issues,
    magazine_issue_articles,
    menus,
    menu_items,
    content_changes,
    content_change_keys,
    users,
    sessions,
    refresh_tokens,
    audit_log,
    article_slug_history,
    api_tokens,
    article_words,
    word_counts,
    article_terms,
    article_related,
    published_counts,
);
