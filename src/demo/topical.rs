//! Generated Chinese articles about known topics (`masthead generate --topics`), so search and
//! related articles can be evaluated against a truth: each article is about one of the topics
//! of `topics.json`, its slug says which (`t07-1234`: topic 7), and nothing else that Masthead
//! sees does. Tags and categories are spread without regard to topic, as on a real site where
//! the tag 南山 is on everything; a share of every article's sentences talks about another
//! topic, so a topic's words also appear, less often, outside it.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Vocabulary {
    places: Vec<String>,
    bodies: Vec<String>,
    filler: Vec<String>,
    topics: Vec<Topic>,
}

#[derive(Debug, Deserialize)]
struct Topic {
    words: Vec<String>,
}

/// One generated article's text.
pub struct TopicalText {
    pub topic: usize,
    pub title: String,
    pub summary: String,
    pub body_html: String,
}

/// Sentences about a topic: `{w}` and `{v}` are two of its words.
const SENTENCES: &[&str] = &[
    "{p}{b}近日召开{w}工作推进会，部署{v}相关任务。",
    "记者从{b}了解到，今年以来{p}共开展{w}专项行动{n}次，重点关注{v}。",
    "{b}负责人表示，将持续推进{w}工作，进一步加强{v}。",
    "据统计，{y}年{p}{w}相关投诉同比下降{n}%，{v}情况明显好转。",
    "专家认为，{w}与{v}密切相关，需要社会各界共同关注。",
    "{p}居民对{w}的满意度明显提升，不少人点赞{v}的新变化。",
    "在{w}方面，{p}探索出一套行之有效的做法，{v}经验在全市推广。",
    "围绕{w}，{b}还将出台{n}项配套措施，完善{v}制度。",
];

/// Titles about a topic.
const TITLES: &[&str] = &[
    "{p}{w}工作取得新进展",
    "{w}：{p}{v}再出新举措",
    "聚焦{w}｜{b}发布{v}新规",
    "{p}开展{w}专项行动",
    "{w}和{v}，{p}这样做",
    "{y}年{p}{w}情况通报",
];

/// Of every article's sentences: this many in a hundred about its topic, this many about
/// another topic, the rest neither.
const ON_TOPIC: u32 = 60;
const OFF_TOPIC: u32 = 15;

pub struct Topics {
    vocabulary: Vocabulary,
}

impl Topics {
    pub fn load() -> Result<Self, String> {
        let vocabulary: Vocabulary = serde_json::from_str(include_str!("topics.json"))
            .map_err(|error| format!("topics.json: {error}"))?;
        if vocabulary.topics.len() < 2
            || vocabulary.topics.iter().any(|topic| topic.words.len() < 2)
            || vocabulary.places.is_empty()
            || vocabulary.bodies.is_empty()
            || vocabulary.filler.is_empty()
        {
            return Err("topics.json: too few topics or words".into());
        }
        Ok(Self { vocabulary })
    }

    pub fn count(&self) -> usize {
        self.vocabulary.topics.len()
    }

    /// The article number `serial`: always the same text for the same number.
    pub fn article(&self, serial: i64) -> TopicalText {
        let mut rng = StdRng::seed_from_u64(serial as u64);
        let topic = (serial as usize) % self.count();
        let title = self.fill(&mut rng, TITLES, topic);
        let mut paragraphs = Vec::new();
        for _ in 0..rng.gen_range(3..=5) {
            let sentences: Vec<String> = (0..rng.gen_range(3..=5))
                .map(|_| {
                    let roll = rng.gen_range(0..100);
                    if roll < ON_TOPIC {
                        self.fill(&mut rng, SENTENCES, topic)
                    } else if roll < ON_TOPIC + OFF_TOPIC {
                        let other = rng.gen_range(0..self.count());
                        self.fill(&mut rng, SENTENCES, other)
                    } else {
                        self.vocabulary
                            .filler
                            .choose(&mut rng)
                            .cloned()
                            .unwrap_or_default()
                    }
                })
                .collect();
            paragraphs.push(sentences.concat());
        }
        let summary = self.fill(&mut rng, SENTENCES, topic);
        let mut body_html = format!("<p>{summary}</p>");
        for (n, paragraph) in paragraphs.iter().enumerate() {
            if n == 2 {
                body_html.push_str(&format!(
                    "<h2>{}</h2>",
                    self.fill(&mut rng, &["{w}的下一步"], topic)
                ));
            }
            body_html.push_str(&format!("<p>{paragraph}</p>"));
        }
        TopicalText {
            topic,
            title,
            summary,
            body_html,
        }
    }

    fn fill(&self, rng: &mut StdRng, templates: &[&str], topic: usize) -> String {
        let words = &self.vocabulary.topics[topic].words;
        let template = templates.choose(rng).copied().unwrap_or("{w}");
        let w = rng.gen_range(0..words.len());
        // A second word, never the first.
        let v = (w + rng.gen_range(1..words.len())) % words.len();
        template
            .replace("{w}", &words[w])
            .replace("{v}", &words[v])
            .replace(
                "{p}",
                self.vocabulary
                    .places
                    .choose(rng)
                    .map_or("", String::as_str),
            )
            .replace(
                "{b}",
                self.vocabulary
                    .bodies
                    .choose(rng)
                    .map_or("", String::as_str),
            )
            .replace("{n}", &rng.gen_range(2..60).to_string())
            .replace("{y}", &rng.gen_range(2015..2027).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_number_gives_the_same_article_about_its_topic() {
        let topics = Topics::load().expect("topics.json loads");
        assert!(topics.count() >= 20);
        let one = topics.article(1234);
        let again = topics.article(1234);
        assert_eq!(one.body_html, again.body_html);
        assert_eq!(one.topic, 1234 % topics.count());
        let words = &topics.vocabulary.topics[one.topic].words;
        assert!(words.iter().any(|word| one.title.contains(word.as_str())));
        assert!(!one.body_html.contains('{'), "every slot filled");
    }
}
