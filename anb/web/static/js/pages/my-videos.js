// #/mis-videos: the player's videos with live status, polled while any is still in the pipeline;
// published ones with their votes, their public page and a share button.

import * as api from "../api.js";
import * as session from "../session.js";
import { formatDate, formatVotes, h, notice, pageHeading } from "../dom.js";
import { shareButton } from "../share.js";
import { player, playerPath, videoPath } from "../video-card.js";

const POLL_MS = 2000;
const RETRY_MS = 5000;
const STATUS_TEXT = {
  uploaded: "Subido: en espera de procesamiento",
  processing: "Procesando",
  processed: "Procesado y publicado para votación",
  failed: "El procesamiento falló",
};
const PENDING = new Set(["uploaded", "processing"]);

export function render({ signal }) {
  const messages = notice();
  const list = h("ul", { class: "cards cards--list", "aria-label": "Mis videos" });
  const node = h(
    "section",
    { class: "page", "aria-busy": "true" },
    pageHeading("Mis videos"),
    h(
      "div",
      { class: "page__actions" },
      h("a", { href: "#/subir", class: "button" }, "Subir un video nuevo"),
      h("a", { href: playerPath(session.current()?.userId ?? ""), class: "button button--secondary", hidden: true, "data-profile": "" }, "Ver mi perfil público"),
    ),
    messages.node,
    list,
  );
  // Cards are updated in place on every poll, so focus and a playing video survive the refresh.
  const cards = new Map();
  let timer = null;
  signal.addEventListener("abort", () => clearTimeout(timer));

  async function refresh() {
    clearTimeout(timer); // a refresh after a deletion replaces the pending poll
    let delay = null;
    try {
      const [videos, votes] = await Promise.all([api.myVideos(), publishedVotes()]);
      if (signal.aborted) return;
      for (const video of videos) video.votes = votes.get(video.video_id) ?? 0;
      show(videos);
      node.querySelector("[data-profile]").hidden = votes.size === 0;
      if (videos.length === 0) {
        messages.info("Aún no has subido videos. ", h("a", { href: "#/subir" }, "Sube el primero"), ": en unos minutos estará publicado para votación.");
      }
      if (videos.some((video) => PENDING.has(video.status))) delay = POLL_MS;
    } catch (error) {
      if (signal.aborted) return;
      messages.error(error.message);
      if (error.status !== 401) delay = RETRY_MS;
    } finally {
      node.removeAttribute("aria-busy");
    }
    if (delay !== null) timer = setTimeout(refresh, delay);
  }

  function show(videos) {
    const ids = videos.map((video) => video.video_id);
    for (const [id, card] of cards) {
      if (!ids.includes(id)) {
        card.node.remove();
        cards.delete(id);
      }
    }
    for (const video of videos) {
      if (!cards.has(video.video_id)) cards.set(video.video_id, ownCard(video, messages, refresh));
      cards.get(video.video_id).update(video);
    }
    const order = [...list.children];
    if (order.length !== ids.length || order.some((item, index) => item !== cards.get(ids[index]).node)) {
      list.append(...ids.map((id) => cards.get(id).node));
    }
  }

  refresh();
  return { node, title: "Mis videos" };
}

/** Votes of the player's published videos, from their public profile (none published: 404, no votes). */
async function publishedVotes() {
  const id = session.current()?.userId;
  if (!id) return new Map();
  try {
    return new Map((await api.player(id)).videos.map((video) => [video.video_id, video.votes]));
  } catch {
    return new Map();
  }
}

function ownCard(video, messages, reload) {
  const status = h("p", { class: "status", "aria-live": "polite" });
  const bar = h("progress", { max: "100", id: `progreso-${video.video_id}` });
  const percent = h("span", { class: "progress__value" });
  const progress = h(
    "div",
    { class: "progress" },
    h("label", { for: `progreso-${video.video_id}` }, "Progreso del procesamiento"),
    h("div", { class: "progress__row" }, bar, percent),
  );
  const reason = h("p", { class: "failure" });
  const votes = h("p", { class: "card__votes" });
  const published = h(
    "div",
    { class: "card__published", hidden: true },
    votes,
    h("a", { href: videoPath(video) }, "Ver página pública"),
    shareButton({ title: video.title, text: video.title, path: videoPath(video) }),
  );
  const remove = h("button", { type: "button", class: "button button--danger", "data-action": "delete" }, "Eliminar");
  const media = h("div", { class: "card__media" });
  const node = h(
    "li",
    {},
    h(
      "article",
      { class: "card", "data-video-id": video.video_id },
      media,
      h(
        "div",
        { class: "card__body" },
        h("h2", {}, video.title),
        h("p", { class: "card__meta" }, `Subido el ${formatDate(video.uploaded_at)}`),
        status,
        progress,
        reason,
        published,
        remove,
      ),
    ),
  );
  remove.addEventListener("click", async () => {
    if (!window.confirm(`¿Eliminar el video «${video.title}»? Esta acción no se puede deshacer.`)) return;
    try {
      messages.success((await api.deleteVideo(video.video_id)).message);
      reload();
    } catch (error) {
      messages.error(error.message);
    }
  });

  function update(next) {
    node.firstChild.dataset.status = next.status;
    status.textContent = STATUS_TEXT[next.status] || next.status;
    progress.hidden = !PENDING.has(next.status);
    // "uploaded" has no progress yet: an indeterminate bar says "waiting" better than 0 %.
    if (next.status === "processing") {
      bar.value = Math.round(next.progress * 100);
      percent.textContent = `${bar.value} %`;
    } else {
      bar.removeAttribute("value");
      percent.textContent = "";
    }
    reason.textContent = next.status === "failed" ? `Motivo: ${next.failure_reason || "desconocido"}` : "";
    reason.hidden = !reason.textContent;
    // A published video can no longer be deleted (the API answers 400).
    remove.hidden = next.status === "processed";
    published.hidden = next.status !== "processed";
    votes.textContent = formatVotes(next.votes);
    if (next.status === "processed" && next.processed_url && !media.firstChild) media.append(player(next));
  }
  return { node, update };
}
