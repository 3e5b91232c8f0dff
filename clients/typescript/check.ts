// Every write operation of the API, called through a client generated from the committed
// spec. CI type-checks this file (it never runs it): a request schema looser or stricter
// than the server shows up as a compile error here. Each body is first written as a value of
// its operation's request type, where TypeScript checks excess properties too, and the
// `@ts-expect-error` lines prove that a misspelt, missing or mistyped field is refused.
import createClient from "openapi-fetch";
import type { paths } from "./generated/schema";

type Method = "post" | "put" | "patch";
/** The JSON request body of an operation, as the spec declares it. */
type Body<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody: { content: { "application/json": infer B } };
}
  ? B
  : never;

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
