#!/usr/bin/env python3
"""Judges search and related articles against a corpus with known topics
(`masthead generate --topics`: the slug `t07-1234` says the article is about topic 7).

  python3 bench/search_eval.py BASE_URL [--related-sample N]

Prints, and exits non-zero when a target is missed (precision@10 and related share >= 0.9):
- precision@10: for every word of every topic in src/demo/topics.json, the share of the first
  ten generated results of `GET /api/v1/search?q=<word>` about that topic (the demo site's own
  articles are left out of the judgement: they have no known topic);
- related share: over a sample of generated articles, the share of their `related` articles
  about the same topic.
Standard library only.
"""

import json
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

TARGET = 0.9
TOPIC = re.compile(r"^t(\d+)-(\d+)$")


def get(base, path, **query):
    url = f"{base}{path}?{urllib.parse.urlencode(query)}" if query else f"{base}{path}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def topic_of(slug):
    match = TOPIC.match(slug)
    return int(match.group(1)) if match else None


def precision_at_10(base, topics):
    per_topic = []
    worst = []
    for index, topic in enumerate(topics):
        scores = []
        for word in topic["words"]:
            hits = get(base, "/api/v1/search", q=word, per_page=20)["data"]
            judged = [topic_of(hit["slug"]) for hit in hits]
            judged = [t for t in judged if t is not None][:10]
            score = sum(1 for t in judged if t == index) / 10
            scores.append(score)
            worst.append((score, word, topic["name"]))
        per_topic.append((sum(scores) / len(scores), topic["name"]))
    overall = sum(score for score, _ in per_topic) / len(per_topic)
    return overall, sorted(per_topic)[:3], sorted(worst)[:5], len(worst)


def related_share(base, sample):
    first = get(base, "/api/v1/articles", per_page=1)["meta"]["total"]
    step = max(1, first // sample)
    same = total = empty = articles = 0
    page = 1
    seen = 0
    # Walk the list by page, taking every `step`-th generated article.
    while articles < sample:
        listed = get(base, "/api/v1/articles", per_page=100, page=page)["data"]
        if not listed:
            break
        for summary in listed:
            seen += 1
            topic = topic_of(summary["slug"])
            if topic is None or seen % step:
                continue
            article = get(base, f"/api/v1/articles/{urllib.parse.quote(summary['slug'])}")
            related = [topic_of(r["slug"]) for r in article["related"]]
            related = [t for t in related if t is not None]
            articles += 1
            if not related:
                empty += 1
            total += len(related)
            same += sum(1 for t in related if t == topic)
        page += 1
    return (same / total if total else 0.0), articles, total, empty


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    base = sys.argv[1].rstrip("/")
    sample = 500
    if "--related-sample" in sys.argv:
        sample = int(sys.argv[sys.argv.index("--related-sample") + 1])
    topics = json.loads(
        (Path(__file__).resolve().parent.parent / "src/demo/topics.json").read_text("utf-8")
    )["topics"]

    overall, weakest_topics, worst_queries, queries = precision_at_10(base, topics)
    print(f"search precision@10: {overall:.3f} (mean over {len(topics)} topics, {queries} one-word queries)")
    print("  weakest topics: " + ", ".join(f"{name} {score:.2f}" for score, name in weakest_topics))
    print("  weakest queries: " + ", ".join(f"{word} ({name}) {score:.1f}" for score, word, name in worst_queries))

    share, articles, related, empty = related_share(base, sample)
    print(
        f"related share on topic: {share:.3f} ({related} related articles of {articles} articles; "
        f"{empty} with none)"
    )
    missed = [name for name, value in (("precision@10", overall), ("related share", share)) if value < TARGET]
    if missed:
        print(f"below the {TARGET} target: {', '.join(missed)}")
        sys.exit(1)
    print(f"both at or above the {TARGET} target")


if __name__ == "__main__":
    main()
