// Every write operation of the API, called through a client generated from the committed
// spec. CI type-checks this file (it never runs it): a request schema looser or stricter
// than the server shows up as a compile error here. Each body is first written as a value of
// its operation's request type, where TypeScript checks excess properties too, and the
// `@ts-expect-error` lines prove that a misspelt, missing or mistyped field, a value outside
// an enum, and `null` for a field that cannot be cleared are refused.
import createClient from "openapi-fetch";
import type { paths } from "./generated/schema";

type Method = "post" | "put" | "patch";
/** The JSON request body of an operation, as the spec declares it. */
type Body<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody: { content: { "application/json": infer B } };
}
  ? B
  : never;

/** The `multipart/form-data` request body of an operation (an upload), as the spec declares it. */
type Form<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody: { content: { "multipart/form-data": infer F } };
}
  ? F
  : never;

/** A form as sent: the text parts as text, the file as the picture's bytes. */
function formData(fields: Record<string, unknown>, file: Blob): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (name !== "file" && typeof value === "string") data.append(name, value);
  }
  data.append("file", file, "photo.jpg");
  return data;
}

const api = createClient<paths>({ baseUrl: "http://localhost:8080" });
const auth = { headers: { Authorization: "Bearer mh_example" } };
const ifMatch = (etag: string) => ({ headers: { ...auth.headers, "If-Match": etag } });

export async function tags(): Promise<void> {
  const body: Body<"/api/v1/tags", "post"> = {
    name: "网络安全",
    slug: "wang-luo-an-quan",
    description: "网络安全相关报道",
  };
  const created = await api.POST("/api/v1/tags", { ...auth, body });
  const slug = created.data?.slug ?? "wang-luo-an-quan";
  const changes: Body<"/api/v1/tags/{slug}", "patch"> = { name: "网络安全与未成年人", description: null };
  await api.PATCH("/api/v1/tags/{slug}", { ...ifMatch('"1"'), params: { path: { slug } }, body: changes });
  await api.DELETE("/api/v1/tags/{slug}", { ...ifMatch('"2"'), params: { path: { slug } } });

  // @ts-expect-error: a misspelt field is not a field
  const misspelt: Body<"/api/v1/tags", "post"> = { name: "护苗", nmae: "护苗" };
  // @ts-expect-error: the name is required
  const nameless: Body<"/api/v1/tags", "post"> = { slug: "humiao" };
  // @ts-expect-error: the name cannot be cleared
  const cleared: Body<"/api/v1/tags/{slug}", "patch"> = { name: null };
  void [misspelt, nameless, cleared];
}

export async function signingIn(): Promise<void> {
  const credentials: Body<"/api/v1/auth/login", "post"> = {
    email: "editor@example.com",
    password: "a long passphrase",
  };
  const session = await api.POST("/api/v1/auth/login", { body: credentials });
  const refresh: Body<"/api/v1/auth/refresh", "post"> = {
    refresh_token: session.data?.refresh_token ?? "",
  };
  await api.POST("/api/v1/auth/refresh", { body: refresh });
  await api.POST("/api/v1/auth/logout", { ...auth });
  // @ts-expect-error: the password is required
  const passwordless: Body<"/api/v1/auth/login", "post"> = { email: "editor@example.com" };
  void passwordless;
}

export async function integrationTokens(): Promise<void> {
  const body: Body<"/api/v1/tokens", "post"> = { name: "导入任务", role: "editor" };
  const created = await api.POST("/api/v1/tokens", { ...auth, body });
  const id = created.data?.id ?? 1;
  await api.DELETE("/api/v1/tokens/{id}", { ...auth, params: { path: { id } } });
  // @ts-expect-error: a role is one of the roles
  const unknownRole: Body<"/api/v1/tokens", "post"> = { name: "导入任务", role: "owner" };
  void unknownRole;
}

export async function previewLinks(): Promise<void> {
  await api.POST("/api/v1/articles/{slug_or_id}/preview-link", {
    ...auth,
    params: { path: { slug_or_id: "hu-miao-you-wo" } },
  });
}

export async function articles(): Promise<void> {
  const news = await api.GET("/api/v1/categories/{slug}", { params: { path: { slug: "news" } } });
  const body: Body<"/api/v1/articles", "post"> = {
    title: "护苗有我 南山区开展儿童主任网络安全专题培训",
    slug: "hu-miao-you-wo",
    summary: "11月15日,深圳市南山区儿童主任网络安全专题培训暨“护苗有我 安全同行”2021年护苗工作站系列活动在腾讯滨海大厦举行。",
    body_html: "<p>11月15日,……</p><h2>多方合力,共同落实未保法</h2>",
    category_id: news.data?.id ?? 1,
    tag_ids: [1, 2, 3],
    cover_media_id: 1,
    image_ids: [1, 2, 3, 4, 5],
    source: "南方大视野",
    author_name: "南方大视野编辑部",
    status: "published",
    published_at: "2021-11-16T10:00:00+08:00",
    seo_title: "护苗有我 安全同行 - 南方大视野",
  };
  const created = await api.POST("/api/v1/articles", { ...auth, body });
  const slug_or_id = created.data?.slug ?? "hu-miao-you-wo";
  const changes: Body<"/api/v1/articles/{slug_or_id}", "patch"> = {
    subtitle: "2021年护苗工作站系列活动",
    seo_title: null,
    cover_media_id: null,
  };
  await api.PATCH("/api/v1/articles/{slug_or_id}", {
    ...ifMatch('"1"'),
    params: { path: { slug_or_id } },
    body: changes,
  });
  await api.DELETE("/api/v1/articles/{slug_or_id}", { ...ifMatch('"2"'), params: { path: { slug_or_id } } });

  // @ts-expect-error: a status is one of the article statuses
  const live: Body<"/api/v1/articles", "post"> = { title: "护苗有我", status: "live" };
  // @ts-expect-error: a category is named by its id, not its slug
  const bySlug: Body<"/api/v1/articles", "post"> = { title: "护苗有我", category_id: "news" };
  // @ts-expect-error: the title cannot be cleared
  const untitled: Body<"/api/v1/articles/{slug_or_id}", "patch"> = { title: null };
  void [live, bySlug, untitled];
}

export async function categories(): Promise<void> {
  const body: Body<"/api/v1/categories", "post"> = {
    name: "行业新闻",
    slug: "industry-news",
    description: "行业新闻与政策动态",
    parent_id: 1,
    position: 0,
  };
  const created = await api.POST("/api/v1/categories", { ...auth, body });
  const slug = created.data?.slug ?? "industry-news";
  const changes: Body<"/api/v1/categories/{slug}", "patch"> = { name: "公司动态", parent_id: null, position: 1 };
  await api.PATCH("/api/v1/categories/{slug}", { ...ifMatch('"1"'), params: { path: { slug } }, body: changes });
  await api.DELETE("/api/v1/categories/{slug}", { ...ifMatch('"2"'), params: { path: { slug } } });

  // @ts-expect-error: the name is required
  const nameless: Body<"/api/v1/categories", "post"> = { slug: "news" };
  // @ts-expect-error: the position cannot be cleared
  const unplaced: Body<"/api/v1/categories/{slug}", "patch"> = { position: null };
  void [nameless, unplaced];
}

export async function pages(): Promise<void> {
  const body: Body<"/api/v1/pages", "post"> = {
    title: "关于我们",
    slug: "about",
    summary: "《南方大视野》杂志简介",
    body_html: "<p>《南方大视野》是一本立足深圳、面向华南的综合性杂志,关注经济、社会与文化发展。</p>",
    status: "published",
    seo_title: "关于我们 - 南方大视野",
  };
  const created = await api.POST("/api/v1/pages", { ...auth, body });
  const slug = created.data?.slug ?? "about";
  const changes: Body<"/api/v1/pages/{slug}", "patch"> = { summary: "《南方大视野》杂志与媒体业务", seo_title: null };
  await api.PATCH("/api/v1/pages/{slug}", { ...ifMatch('"1"'), params: { path: { slug } }, body: changes });
  await api.DELETE("/api/v1/pages/{slug}", { ...ifMatch('"2"'), params: { path: { slug } } });

  // @ts-expect-error: the body's field is body_html
  const misspelt: Body<"/api/v1/pages", "post"> = { title: "关于我们", body: "<p>……</p>" };
  // @ts-expect-error: a page is a draft or published, never scheduled
  const scheduled: Body<"/api/v1/pages", "post"> = { title: "关于我们", status: "scheduled" };
  // @ts-expect-error: the title cannot be cleared
  const untitled: Body<"/api/v1/pages/{slug}", "patch"> = { title: null };
  void [misspelt, scheduled, untitled];
}

export async function media(): Promise<void> {
  const body: Body<"/api/v1/media", "post"> = {
    url: "/media/2021/11/humiao-training.jpg",
    mime_type: "image/jpeg",
    alt: "南山区儿童主任网络安全专题培训暨护苗工作站交流活动",
    caption: "培训现场",
    width: 1080,
    height: 720,
  };
  const created = await api.POST("/api/v1/media", { ...auth, body });
  const id = created.data?.id ?? 1;
  const changes: Body<"/api/v1/media/{id}", "patch"> = { alt: "护苗工作站交流活动现场", caption: null };
  await api.PATCH("/api/v1/media/{id}", { ...ifMatch('"1"'), params: { path: { id } }, body: changes });
  await api.DELETE("/api/v1/media/{id}", { ...ifMatch('"2"'), params: { path: { id } } });

  // @ts-expect-error: the media type is required
  const untyped: Body<"/api/v1/media", "post"> = { url: "/media/2021/11/humiao-quiz.jpg" };
  // @ts-expect-error: a width is a number of pixels, not text
  const textWidth: Body<"/api/v1/media", "post"> = { url: "/media/logo.png", mime_type: "image/png", width: "1080" };
  // @ts-expect-error: the URL cannot be cleared
  const nowhere: Body<"/api/v1/media/{id}", "patch"> = { url: null };
  void [untyped, textWidth, nowhere];
}

export async function uploads(): Promise<void> {
  const picture = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: "image/jpeg" });
  const upload: Form<"/api/v1/media", "post"> = {
    file: "(the picture's bytes)",
    alt: "南山区儿童主任网络安全专题培训暨护苗工作站交流活动",
    caption: "培训现场",
    credit: "南山区妇联",
  };
  const created = await api.POST("/api/v1/media", {
    ...auth,
    body: upload,
    bodySerializer: (fields) => formData(fields, picture),
  });
  const id = created.data?.id ?? 1;
  const widest = created.data?.renditions.at(-1)?.url;
  void widest;
  const replacement: Form<"/api/v1/media/{id}/file", "put"> = { file: "(the new picture's bytes)" };
  await api.PUT("/api/v1/media/{id}/file", {
    ...ifMatch('"1"'),
    params: { path: { id } },
    body: replacement,
    bodySerializer: (fields) => formData(fields, picture),
  });

  // @ts-expect-error: an upload needs its file
  const fileless: Form<"/api/v1/media", "post"> = { alt: "图" };
  // @ts-expect-error: a replacement is the file alone (the text changes with PATCH)
  const withText: Form<"/api/v1/media/{id}/file", "put"> = { file: "x", alt: "图" };
  void [fileless, withText];
}

export async function menus(): Promise<void> {
  const key = "header";
  const content: Body<"/api/v1/menus/{key}", "put"> = {
    name: "页头导航",
    items: [
      { label: "返回首页", kind: "url", url: "/" },
      {
        label: "新闻动态",
        kind: "category",
        target_id: 1,
        children: [
          { label: "行业新闻", kind: "category", target_id: 2 },
          { label: "公司动态", kind: "category", target_id: 3 },
        ],
      },
      { label: "联系我们", kind: "page", target_id: 2 },
    ],
  };
  await api.PUT("/api/v1/menus/{key}", { ...ifMatch('"1"'), params: { path: { key } }, body: content });
  const item: Body<"/api/v1/menus/{key}/items", "post"> = {
    label: "合作伙伴",
    kind: "page",
    target_id: 17,
    parent_id: null,
    position: 2,
  };
  const menu = await api.POST("/api/v1/menus/{key}/items", {
    ...ifMatch('"2"'),
    params: { path: { key } },
    body: item,
  });
  const id = menu.data?.items[2]?.id ?? 30;
  const changes: Body<"/api/v1/menus/{key}/items/{id}", "patch"> = {
    label: "关于我们",
    kind: "url",
    url: "/pages/about",
    target_id: null,
  };
  await api.PATCH("/api/v1/menus/{key}/items/{id}", {
    ...ifMatch('"3"'),
    params: { path: { key, id } },
    body: changes,
  });
  await api.DELETE("/api/v1/menus/{key}/items/{id}", { ...ifMatch('"4"'), params: { path: { key, id } } });
  await api.DELETE("/api/v1/menus/{key}", { ...ifMatch('"5"'), params: { path: { key } } });

  // @ts-expect-error: a PUT sends the whole tree, items included
  const itemless: Body<"/api/v1/menus/{key}", "put"> = { name: "页头导航" };
  // @ts-expect-error: a kind is one of the menu item kinds
  const link: Body<"/api/v1/menus/{key}/items", "post"> = { label: "返回首页", kind: "link", url: "/" };
  // @ts-expect-error: an item's position cannot be cleared
  const unplaced: Body<"/api/v1/menus/{key}/items/{id}", "patch"> = { position: null };
  // @ts-expect-error: a url item needs its url
  const nowhere: Body<"/api/v1/menus/{key}/items", "post"> = { label: "返回首页", kind: "url" };
  // @ts-expect-error: a category item needs its target
  const untargeted: Body<"/api/v1/menus/{key}/items", "post"> = { label: "新闻动态", kind: "category" };
  const tree: Body<"/api/v1/menus/{key}", "put"> = {
    name: "页头导航",
    // @ts-expect-error: the same rule holds for every item of a tree
    items: [{ label: "返回首页", kind: "url" }],
  };
  void [itemless, link, unplaced, nowhere, untargeted, tree];
}

export async function site(): Promise<void> {
  const changes: Body<"/api/v1/site", "patch"> = {
    name: "南方大视野",
    description: "《南方大视野》杂志官方网站:新闻动态、杂志导读",
    logo_url: "/media/logo.png",
    locale: "zh-CN",
    time_zone: "Asia/Shanghai",
    utc_offset: "+08:00",
    copyright: "© 南方大视野 版权所有",
    contacts: [
      { label: "联络处", address: "龙华区和平路御经堂386室", phone: "13751426049", email: null },
      { label: "邮箱", email: "1608591941@qq.com" },
    ],
    icp_record: null,
  };
  await api.PATCH("/api/v1/site", { ...ifMatch('"1"'), body: changes });

  // The logo as a media record (instead of `logo_url`): the site answers it with its sizes.
  const logo: Body<"/api/v1/site", "patch"> = { logo_media_id: 7 };
  const shown = await api.PATCH("/api/v1/site", { ...ifMatch('"2"'), body: logo });
  const srcset = shown.data?.logo?.renditions
    .filter((rendition) => rendition.mime_type === "image/webp")
    .map((rendition) => `${rendition.url} ${rendition.width}w`)
    .join(", ");
  const logoUrl: string | null | undefined = shown.data?.logo_url;
  void [srcset, logoUrl];

  // @ts-expect-error: a media record is named by its id, a number
  const quoted: Body<"/api/v1/site", "patch"> = { logo_media_id: "7" };
  // @ts-expect-error: the site's name cannot be cleared
  const unnamed: Body<"/api/v1/site", "patch"> = { name: null };
  // @ts-expect-error: the offset is `+08:00`, not a number of minutes
  const minutes: Body<"/api/v1/site", "patch"> = { utc_offset: 480 };
  // @ts-expect-error: a contact needs its label
  const unlabelled: Body<"/api/v1/site", "patch"> = { contacts: [{ phone: "13751426049" }] };
  void [quoted, unnamed, minutes, unlabelled];
}

export async function users(): Promise<void> {
  const body: Body<"/api/v1/users", "post"> = {
    email: "zhang.wei@example.com",
    name: "张伟",
    password: "护苗有我 a long passphrase",
    role: "author",
    active: true,
  };
  const created = await api.POST("/api/v1/users", { ...auth, body });
  const id = created.data?.id ?? 2;
  const changes: Body<"/api/v1/users/{id}", "patch"> = { name: "张伟(特约)", role: "editor", active: false };
  await api.PATCH("/api/v1/users/{id}", { ...ifMatch('"1"'), params: { path: { id } }, body: changes });
  await api.DELETE("/api/v1/users/{id}", { ...ifMatch('"2"'), params: { path: { id } } });

  // @ts-expect-error: the password is required
  const passwordless: Body<"/api/v1/users", "post"> = { email: "zhang.wei@example.com", name: "张伟", role: "author" };
  // @ts-expect-error: a role is one of the roles
  const chief: Body<"/api/v1/users/{id}", "patch"> = { role: "chief-editor" };
  // @ts-expect-error: the email cannot be cleared
  const noEmail: Body<"/api/v1/users/{id}", "patch"> = { email: null };
  void [passwordless, chief, noEmail];
}

export async function magazineIssues(): Promise<void> {
  const body: Body<"/api/v1/magazine/issues", "post"> = {
    title: "大视野第86期",
    number: 86,
    year: 2019,
    published_on: "2019-02-01",
    description: "本期聚焦未成年人网络保护",
    cover_media_id: 6,
    article_ids: [10, 11],
    status: "published",
  };
  const created = await api.POST("/api/v1/magazine/issues", { ...auth, body });
  const id = created.data?.id ?? 1;
  const changes: Body<"/api/v1/magazine/issues/{id}", "patch"> = {
    title: "2019年",
    number: null,
    cover_media_id: null,
    article_ids: [11, 10, 12],
  };
  await api.PATCH("/api/v1/magazine/issues/{id}", { ...ifMatch('"1"'), params: { path: { id } }, body: changes });
  await api.DELETE("/api/v1/magazine/issues/{id}", { ...ifMatch('"2"'), params: { path: { id } } });

  // @ts-expect-error: the issue date is required
  const undated: Body<"/api/v1/magazine/issues", "post"> = { title: "大视野第86期", year: 2019 };
  // @ts-expect-error: the year is a number, not text
  const textYear: Body<"/api/v1/magazine/issues", "post"> = { title: "2019年", year: "2019", published_on: "2019-01-01" };
  // @ts-expect-error: an issue is a draft or published, never archived
  const archived: Body<"/api/v1/magazine/issues/{id}", "patch"> = { status: "archived" };
  void [undated, textYear, archived];
}
