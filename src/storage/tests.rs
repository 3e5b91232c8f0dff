//! The store's behaviour, run on both stores: `local::*` always, `s3::*` against a real
//! S3-compatible server when `MASTHEAD_TEST_S3_URL` is set (see `scripts/s3-test-server.sh`;
//! credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`). Each S3 test works under a
//! prefix of its own, so they run in parallel. `MASTHEAD_TEST_REQUIRE_S3=1` turns a skipped
//! S3 run into a failure.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::*;

const S3_URL_ENV: &str = "MASTHEAD_TEST_S3_URL";
const REQUIRE_S3_ENV: &str = "MASTHEAD_TEST_REQUIRE_S3";

fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn key(raw: &str) -> Key {
    Key::parse(raw).unwrap()
}

/// A store under test, and what to clean up after it.
struct TestStore {
    store: MediaStore,
    _dir: Option<tempfile::TempDir>,
    /// S3: the store one level up and this test's own prefix in it.
    s3_cleanup: Option<(MediaStore, String)>,
}

impl TestStore {
    fn local() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url: StoreUrl = dir.path().join("media").to_str().unwrap().parse().unwrap();
        Self {
            store: MediaStore::open(&url).unwrap(),
            _dir: Some(dir),
            s3_cleanup: None,
        }
    }

    /// `None` (and a line saying so) when no S3 server is configured.
    fn s3() -> Option<Self> {
        let Some(raw) = std::env::var(S3_URL_ENV).ok().filter(|v| !v.is_empty()) else {
            assert!(
                std::env::var(REQUIRE_S3_ENV).ok().as_deref() != Some("1"),
                "{REQUIRE_S3_ENV}=1 but {S3_URL_ENV} is not set: the S3 store would go untested"
            );
            say(&format!("skipped: {S3_URL_ENV} not set"));
            return None;
        };
        let base: StoreUrl = raw.parse().unwrap();
        let StoreUrl::S3(base_location) = &base else {
            panic!("{S3_URL_ENV} is not an s3:// URL: {raw}");
        };
        let own = format!("test-{}", uuid::Uuid::new_v4().simple());
        let mut location = base_location.clone();
        location.prefix = Some(match &base_location.prefix {
            Some(prefix) => key(&format!("{prefix}/{own}")),
            None => key(&own),
        });
        Some(Self {
            store: MediaStore::open(&StoreUrl::S3(location)).unwrap(),
            _dir: None,
            s3_cleanup: Some((MediaStore::open(&base).unwrap(), own)),
        })
    }

    async fn clean_up(self) {
        if let Some((base, own)) = self.s3_cleanup {
            base.delete_prefix(&own).await.unwrap();
            assert_eq!(base.list(&own).await.unwrap(), Vec::<Key>::new());
        }
    }
}

/// Whether `store` is the S3 store on s3s-fs (`scripts/s3-test-server.sh`'s default), whose
/// file-system layout has two limits real S3 servers do not: a check that meets one is
/// skipped there, and says so (it runs on Garage: `MASTHEAD_S3_SERVER=garage`).
fn on_s3s_fs(store: &MediaStore, limit: &str) -> bool {
    let s3s_fs = store.local_path(&key("a")).is_none()
        && std::env::var("MASTHEAD_TEST_S3_SERVER").as_deref() == Ok("s3s-fs");
    if s3s_fs {
        say(&format!("skipped on s3s-fs: {limit}"));
    }
    s3s_fs
}

/// Each behaviour below runs as `local::<name>` and `s3::<name>`.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod local {
            $(
                #[actix_rt::test]
                async fn $name() {
                    let test = super::TestStore::local();
                    super::$name(&test.store).await;
                    test.clean_up().await;
                }
            )*
        }
        mod s3 {
            $(
                #[actix_rt::test]
                async fn $name() {
                    let Some(test) = super::TestStore::s3() else { return };
                    super::$name(&test.store).await;
                    test.clean_up().await;
                }
            )*
        }
    };
}

on_both_stores!(
    put_then_get_round_trips,
    ranges_read_part_of_an_object,
    a_missing_key_is_none_and_deleting_it_is_fine,
    put_replaces_and_delete_removes,
    delete_prefix_removes_whole_segments_only,
    list_is_sorted_and_by_whole_segments,
    readers_never_see_a_partial_or_mixed_object,
    the_store_answers_its_readiness_check,
    keys_at_the_length_limit_round_trip,
);

async fn read(store: &MediaStore, k: &Key) -> Vec<u8> {
    store
        .get(k, None)
        .await
        .unwrap()
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

async fn put_then_get_round_trips(store: &MediaStore) {
    let k = key("2026/11/3f9a0c1e2b7d4a55/w640.webp");
    // Big enough to take several chunks locally and several reads over HTTP.
    let body: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let before = Utc::now() - chrono::Duration::seconds(5);
    store.put(&k, body.clone()).await.unwrap();

    let stored = store.get(&k, None).await.unwrap().unwrap();
    assert_eq!(stored.meta.size, body.len() as u64);
    assert_eq!(stored.range, 0..body.len() as u64);
    assert_eq!(stored.len(), body.len() as u64);
    let modified = stored.meta.last_modified;
    assert!(
        modified >= before && modified <= Utc::now() + chrono::Duration::seconds(5),
        "{modified}"
    );
    if store.local_path(&k).is_none() {
        // S3 objects carry their type, for a CDN serving the bucket directly.
        let content_type = stored
            .body
            .attributes
            .get(&object_store::Attribute::ContentType);
        assert_eq!(content_type.map(|v| v.as_ref()), Some("image/webp"));
    }
    assert_eq!(stored.bytes().await.unwrap(), body);

    // The same through the stream.
    let mut stream = store.get(&k, None).await.unwrap().unwrap().into_stream();
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(streamed, body);

    let meta = store.head(&k).await.unwrap().unwrap();
    assert_eq!(meta.size, body.len() as u64);
    assert_eq!(meta.last_modified, modified);

    // An empty object is an object.
    let empty = key("2026/11/3f9a0c1e2b7d4a55/empty.txt");
    store.put(&empty, Bytes::new()).await.unwrap();
    let stored = store.get(&empty, None).await.unwrap().unwrap();
    assert_eq!((stored.meta.size, stored.is_empty()), (0, true));
    assert!(stored.bytes().await.unwrap().is_empty());

    if let Some(path) = store.local_path(&k) {
        assert_eq!(std::fs::read(&path).unwrap(), body);
        assert!(path.ends_with("2026/11/3f9a0c1e2b7d4a55/w640.webp"));
    }
}

async fn ranges_read_part_of_an_object(store: &MediaStore) {
    let k = key("r/abc.bin");
    let body: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    store.put(&k, body.clone()).await.unwrap();

    let part = |range: Range<u64>| {
        let k = k.clone();
        async move { store.get(&k, Some(range)).await }
    };
    let stored = part(100..200).await.unwrap().unwrap();
    assert_eq!(stored.range, 100..200);
    assert_eq!(stored.meta.size, 10_000);
    assert_eq!(stored.bytes().await.unwrap(), body[100..200]);

    let first = part(0..1).await.unwrap().unwrap();
    assert_eq!(first.bytes().await.unwrap(), body[..1]);

    let last = part(9_999..10_000).await.unwrap().unwrap();
    assert_eq!(last.bytes().await.unwrap(), body[9_999..]);

    // An end past the object is cut to it: "from 9000 on".
    let tail = part(9_000..u64::MAX).await.unwrap().unwrap();
    assert_eq!(tail.range, 9_000..10_000);
    assert_eq!(tail.bytes().await.unwrap(), body[9_000..]);

    // Ranges that select nothing say so, with the size for a 416's Content-Range.
    #[expect(
        clippy::reversed_empty_ranges,
        reason = "a backwards range is one of the cases"
    )]
    let nothing = [10_000..10_001, 20_000..30_000, 5..5, 7..3];
    for range in nothing {
        match part(range.clone()).await {
            Err(StoreError::RangeNotSatisfiable { size, .. }) => assert_eq!(size, 10_000),
            other => panic!("{range:?}: {other:?}"),
        }
    }
    // A missing key is missing, range or not.
    assert!(store
        .get(&key("r/none.bin"), Some(0..10))
        .await
        .unwrap()
        .is_none());
    assert!(store
        .get(&key("r/none.bin"), Some(5..5))
        .await
        .unwrap()
        .is_none());
}

async fn a_missing_key_is_none_and_deleting_it_is_fine(store: &MediaStore) {
    let missing = key("2026/01/0000000000000000/original.jpg");
    assert!(store.get(&missing, None).await.unwrap().is_none());
    assert!(store.head(&missing).await.unwrap().is_none());
    store.delete(&missing).await.unwrap();
    store.delete_prefix("2026/01").await.unwrap();
    assert!(store.list("2026").await.unwrap().is_empty());
    assert!(store.list("").await.unwrap().is_empty());

    // A "folder" (a prefix of existing keys) is not an object either.
    store.put(&key("d/e/f.png"), vec![1u8]).await.unwrap();
    if on_s3s_fs(store, "a GET on a folder is a 500 there") {
        return;
    }
    assert!(store.get(&key("d/e"), None).await.unwrap().is_none());
    assert!(store.get(&key("d"), None).await.unwrap().is_none());
    assert!(store.head(&key("d/e"),).await.unwrap().is_none());
}

async fn put_replaces_and_delete_removes(store: &MediaStore) {
    let k = key("p/x.png");
    store.put(&k, b"first version".to_vec()).await.unwrap();
    store.put(&k, Bytes::from_static(b"second")).await.unwrap();
    assert_eq!(read(store, &k).await, b"second");

    store.delete(&k).await.unwrap();
    assert!(store.get(&k, None).await.unwrap().is_none());
    store.delete(&k).await.unwrap();
    if let Some(path) = store.local_path(&k) {
        assert!(!path.exists());
        // The emptied folders go, the store's root stays.
        assert!(!path.parent().unwrap().exists());
        assert!(store.inner.local_root.as_ref().unwrap().is_dir());
    }
    // And the key can be written again.
    store.put(&k, b"third".to_vec()).await.unwrap();
    assert_eq!(read(store, &k).await, b"third");
}

async fn delete_prefix_removes_whole_segments_only(store: &MediaStore) {
    let keys = [
        "2026/1/aaaa/w320.webp",
        "2026/1/aaaa/w640.webp",
        "2026/1/aaaa/deep/er/x.avif",
        "2026/1/bbbb/w320.webp",
        "2026/11/aaaa/w320.webp",
        "2026/1x/aaaa/w320.webp",
        "2026/1.webp",
        "2027/1/aaaa/w320.webp",
    ];
    for k in keys {
        store.put(&key(k), k.as_bytes().to_vec()).await.unwrap();
    }
    store.delete_prefix("2026/1/aaaa").await.unwrap();
    let left = |list: Vec<Key>| list.iter().map(|k| k.to_string()).collect::<Vec<_>>();
    assert_eq!(
        left(store.list("").await.unwrap()),
        [
            "2026/1.webp",
            "2026/1/bbbb/w320.webp",
            "2026/11/aaaa/w320.webp",
            "2026/1x/aaaa/w320.webp",
            "2027/1/aaaa/w320.webp",
        ]
    );
    store.delete_prefix("2026/1/").await.unwrap();
    assert_eq!(
        left(store.list("").await.unwrap()),
        [
            "2026/1.webp",
            "2026/11/aaaa/w320.webp",
            "2026/1x/aaaa/w320.webp",
            "2027/1/aaaa/w320.webp",
        ]
    );
    // A prefix with nothing under it is fine; the empty prefix and bad ones are refused.
    store.delete_prefix("2030").await.unwrap();
    for refused in ["", "/", "../2026", "2026//1", "2026/%2e%2e"] {
        assert!(
            matches!(
                store.delete_prefix(refused).await,
                Err(StoreError::InvalidKey(_))
            ),
            "{refused}"
        );
    }
    assert_eq!(store.list("").await.unwrap().len(), 4);
    // Many keys at once (S3 deletes them in batches).
    for i in 0..40 {
        store
            .put(&key(&format!("bulk/{i:03}.webp")), vec![i as u8])
            .await
            .unwrap();
    }
    assert_eq!(store.list("bulk").await.unwrap().len(), 40);
    store.delete_prefix("bulk").await.unwrap();
    assert!(store.list("bulk").await.unwrap().is_empty());
}

async fn list_is_sorted_and_by_whole_segments(store: &MediaStore) {
    let keys = ["b/2.webp", "a/1/x.png", "a/10/y.png", "a/1.png", "c.txt"];
    for k in keys {
        store.put(&key(k), vec![0u8]).await.unwrap();
    }
    let names = |list: Vec<Key>| list.iter().map(|k| k.to_string()).collect::<Vec<_>>();
    assert_eq!(
        names(store.list("").await.unwrap()),
        ["a/1.png", "a/1/x.png", "a/10/y.png", "b/2.webp", "c.txt"]
    );
    assert_eq!(names(store.list("a/1").await.unwrap()), ["a/1/x.png"]);
    assert_eq!(names(store.list("a/1/").await.unwrap()), ["a/1/x.png"]);
    assert_eq!(
        names(store.list("a").await.unwrap()),
        ["a/1.png", "a/1/x.png", "a/10/y.png"]
    );
    assert!(store.list("z").await.unwrap().is_empty());
    assert!(store.list("a/1/x").await.unwrap().is_empty());
    for refused in ["/", "/a", "a//", "../a", "A"] {
        assert!(
            matches!(store.list(refused).await, Err(StoreError::InvalidKey(_))),
            "{refused}"
        );
    }

    // A local folder may hold stray files (a crashed writer's staging file, a file copied in
    // by hand): they are not keys, and are not listed.
    if let Some(path) = store.local_path(&key("b/2.webp")) {
        std::fs::write(path.with_file_name("2.webp#1"), b"half").unwrap();
        std::fs::write(path.with_file_name("Upper.PNG"), b"x").unwrap();
        assert_eq!(names(store.list("b").await.unwrap()), ["b/2.webp"]);
    }
}

/// Many puts of one key while readers read it: every read is one whole version. Versions
/// differ in length and in every byte, so a torn or mixed read cannot pass as one.
async fn readers_never_see_a_partial_or_mixed_object(store: &MediaStore) {
    const VERSIONS: u8 = 40;
    fn version(v: u8) -> Vec<u8> {
        vec![v; 256 * 1024 + usize::from(v) * 1_031]
    }
    fn check(bytes: &[u8]) {
        let v = bytes
            .first()
            .copied()
            .expect("an object is never empty here");
        assert!(v < VERSIONS, "unknown version {v}");
        assert_eq!(
            bytes.len(),
            version(v).len(),
            "a partial read of version {v}"
        );
        assert!(bytes.iter().all(|b| *b == v), "a mixed read of version {v}");
    }
    let k = key("race/0123456789abcdef/w1280.webp");
    store.put(&k, version(0)).await.unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    // Readers of the file itself, as NamedFile would read it (local store only).
    let file_readers: Vec<_> = (0..3)
        .filter_map(|_| store.local_path(&k))
        .map(|path| {
            let (done, reads) = (Arc::clone(&done), Arc::clone(&reads));
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    check(&std::fs::read(&path).unwrap());
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Readers through the store, on this runtime.
    let store_readers: Vec<_> = (0..3)
        .map(|_| {
            let (store, k) = (store.clone(), k.clone());
            let (done, reads) = (Arc::clone(&done), Arc::clone(&reads));
            actix_rt::spawn(async move {
                while !done.load(Ordering::Relaxed) {
                    let stored = store.get(&k, None).await.unwrap().unwrap();
                    let size = stored.meta.size;
                    let bytes = stored.bytes().await.unwrap();
                    assert_eq!(bytes.len() as u64, size);
                    check(&bytes);
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    for v in 1..VERSIONS {
        store.put(&k, version(v)).await.unwrap();
    }
    done.store(true, Ordering::Relaxed);
    for reader in file_readers {
        reader.join().unwrap();
    }
    for reader in store_readers {
        reader.await.unwrap();
    }
    assert_eq!(read(store, &k).await, version(VERSIONS - 1));
    assert!(reads.load(Ordering::Relaxed) > 0);
    // No staging file is left behind.
    assert_eq!(store.list("race").await.unwrap(), std::slice::from_ref(&k));
    if let Some(path) = store.local_path(&k) {
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["w1280.webp"]);
    }
}

async fn the_store_answers_its_readiness_check(store: &MediaStore) {
    store.check().await.unwrap();
    store.put(&key("a.txt"), vec![1u8]).await.unwrap();
    store.check().await.unwrap();
}

async fn keys_at_the_length_limit_round_trip(store: &MediaStore) {
    if on_s3s_fs(store, "it stores no key over about 180 characters") {
        return;
    }
    let long = key(&format!("{}/{}", "a".repeat(200), "b".repeat(99)));
    store.put(&long, b"long".to_vec()).await.unwrap();
    assert_eq!(read(store, &long).await, b"long");
    assert_eq!(store.list("").await.unwrap(), [long]);
}

#[test]
fn a_local_store_opens_on_a_new_folder_and_is_found_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a/b/media");
    let url = StoreUrl::Local(root.clone());
    let store = MediaStore::open(&url).unwrap();
    assert!(root.is_dir());
    let k = key("x/y.webp");
    assert_eq!(
        store.local_path(&k).unwrap(),
        std::fs::canonicalize(&root)
            .unwrap()
            .join("x")
            .join("y.webp")
    );
    assert!(store.description().contains("media"));
    assert!(format!("{store:?}").contains("local folder"));

    actix_rt::System::new().block_on(async {
        store.put(&k, b"kept".to_vec()).await.unwrap();
    });
    // Another store on the same folder sees it.
    let again = MediaStore::open(&StoreUrl::Local(root)).unwrap();
    actix_rt::System::new().block_on(async {
        assert_eq!(read(&again, &k).await, b"kept");
    });
}

#[test]
fn a_local_store_cannot_open_on_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    match MediaStore::open(&StoreUrl::Local(file.join("media"))) {
        Err(StoreError::Open(message)) => assert!(message.contains("file/media"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_s3_store_needs_credentials_and_never_prints_the_secret() {
    let url: StoreUrl = "s3://bucket?endpoint=http://127.0.0.1:1&allow_http=true"
        .parse()
        .unwrap();
    match MediaStore::open_with_credentials(&url, None) {
        Err(StoreError::Open(message)) => assert!(message.contains("AWS_ACCESS_KEY_ID")),
        other => panic!("{other:?}"),
    }
    let credentials = S3Credentials::new("AKIDEXAMPLE", "very-secret-key");
    assert!(!format!("{credentials:?}").contains("very-secret"));
    let store = MediaStore::open_with_credentials(&url, Some(credentials)).unwrap();
    assert!(!format!("{store:?}").contains("very-secret"));
    assert!(store.local_path(&key("a")).is_none());
}

/// Nothing listens on port 1: the failure is an error, never "not found".
#[actix_rt::test]
async fn an_unreachable_s3_server_is_an_error_not_a_missing_key() {
    let url: StoreUrl = "s3://bucket?endpoint=http://127.0.0.1:1&allow_http=true"
        .parse()
        .unwrap();
    let store =
        MediaStore::open_with_credentials(&url, Some(S3Credentials::new("id", "secret"))).unwrap();
    let k = key("a/b.webp");
    assert!(matches!(
        store.get(&k, None).await,
        Err(StoreError::Backend(_))
    ));
    assert!(matches!(store.head(&k).await, Err(StoreError::Backend(_))));
    assert!(matches!(
        store.delete(&k).await,
        Err(StoreError::Backend(_))
    ));
    assert!(matches!(store.list("a").await, Err(StoreError::Backend(_))));
    assert!(matches!(store.check().await, Err(StoreError::Backend(_))));
}

/// actix-web shares one store among worker threads, each with its own current-thread
/// runtime, and workers stop and start: the store must work from any of them, at the same
/// time, and after the runtime that used it first is gone.
#[test]
fn one_store_serves_many_runtimes_one_after_another_and_at_once() {
    let local = TestStore::local();
    let s3 = TestStore::s3();
    for test in std::iter::once(&local).chain(s3.as_ref()) {
        let store = &test.store;
        // One runtime, then another after the first is dropped (pooled connections from the
        // first must not be reused dead).
        for round in 0..3u8 {
            actix_rt::System::new().block_on(async {
                let k = key(&format!("rt/{round}.bin"));
                store.put(&k, vec![round; 1000]).await.unwrap();
                assert_eq!(read(store, &k).await, vec![round; 1000]);
            });
        }
        // Four "workers" at once.
        std::thread::scope(|scope| {
            for worker in 0..4u8 {
                let store = store.clone();
                scope.spawn(move || {
                    actix_rt::System::new().block_on(async move {
                        for i in 0..10u8 {
                            let k = key(&format!("rt/w{worker}/{i}.bin"));
                            store.put(&k, vec![worker ^ i; 5000]).await.unwrap();
                            assert_eq!(read(&store, &k).await, vec![worker ^ i; 5000]);
                        }
                    });
                });
            }
        });
        actix_rt::System::new().block_on(async {
            assert_eq!(store.list("rt").await.unwrap().len(), 3 + 40);
        });
    }
    actix_rt::System::new().block_on(async {
        local.clean_up().await;
        if let Some(s3) = s3 {
            s3.clean_up().await;
        }
    });
}

/// A worker busy with something else (its thread blocked, its runtime not polled) must not
/// hold up another worker's S3 request: connections opened by one worker's runtime would
/// otherwise be reused by the other and only make progress when the first runs again.
#[test]
fn a_busy_worker_does_not_stall_another_workers_s3_requests() {
    let Some(test) = TestStore::s3() else { return };
    let store = &test.store;
    let k = key("busy/a.bin");
    let (opened, opened_rx) = std::sync::mpsc::channel();
    let (done, done_rx) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let written = k.clone();
        scope.spawn(move || {
            actix_rt::System::new().block_on(async {
                store.put(&written, vec![7u8; 1000]).await.unwrap();
                opened.send(()).unwrap();
                // Busy: this runtime polls nothing until the other worker is done (or 10 s).
                let _ = done_rx.recv_timeout(std::time::Duration::from_secs(10));
            });
        });
        opened_rx.recv().unwrap();
        let took = actix_rt::System::new().block_on(async {
            let started = std::time::Instant::now();
            for _ in 0..3 {
                assert_eq!(read(store, &k).await, vec![7u8; 1000]);
            }
            started.elapsed()
        });
        let _ = done.send(());
        assert!(
            took < std::time::Duration::from_secs(5),
            "reads took {took:?}"
        );
    });
    actix_rt::System::new().block_on(test.clean_up());
}

/// The store and its errors cross threads, as actix-web's shared state must.
#[test]
fn the_store_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<MediaStore>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<StoreError>();
    let test = TestStore::local();
    let clone = test.store.clone();
    assert!(Arc::ptr_eq(&test.store.inner, &clone.inner));
}
