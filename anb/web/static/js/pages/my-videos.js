// #/mis-videos: the player's videos with live status, polled while any is still in the pipeline.

import * as api from "../api.js";
import { formatDate, h, notice, pageHeading } from "../dom.js";
import { player } from "../video-card.js";

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
    h("p", { class: "lead" }, h("a", { href: "#/subir" }, "Subir un video nuevo")),
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
      const videos = await api.myVideos();
      if (signal.aborted) return;
      show(videos);
      if (videos.length === 0) messages.info("Aún no has subido videos.");
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
    reason.textContent = next.status === "failed" ? next.failure_reason || "" : "";
    reason.hidden = !reason.textContent;
    // A published video can no longer be deleted (the API answers 400).
    remove.hidden = next.status === "processed";
    if (next.status === "processed" && next.processed_url && !media.firstChild) media.append(player(next));
  }
  return { node, update };
}
