// A published video as shown to the public: player, poster, inline playback and the vote button.

import * as api from "./api.js";
import * as session from "./session.js";
import { votingClosed } from "./contest-api.js";
import { formatVotes, h, notice } from "./dom.js";

/** `heading` is the element of the title: "h2" in the gallery, "h1" on the video page. */
export function videoCard(video, { heading, navigate }) {
  const votes = h("p", { class: "card__votes" }, formatVotes(video.votes));
  const messages = notice();
  let busy = false;
  const button = h("button", { type: "button", class: "button", "data-action": "vote" }, "Votar");
  button.addEventListener("click", async () => {
    if (!session.isLoggedIn()) {
      navigate(`/ingresar?volver=${encodeURIComponent(location.hash.slice(1))}`);
      return;
    }
    if (busy) return;
    busy = true;
    messages.clear();
    try {
      const answer = await api.vote(video.video_id);
      video.votes += 1;
      votes.textContent = formatVotes(video.votes);
      button.textContent = "Votado ✓";
      messages.success(answer.message);
    } catch (error) {
      messages.error(error.message);
    } finally {
      busy = false;
    }
  });
  // Once voting has closed, the results take the vote button's place.
  votingClosed().then((closed) => {
    if (closed) button.replaceWith(h("a", { class: "button button--secondary", href: "#/resultados" }, "Ver resultados"));
  });
  const title = heading === "h1" ? h("h1", { tabindex: "-1" }, video.title) : h(heading, {}, link(video));
  return h(
    "article",
    { class: "card", "data-video-id": video.video_id },
    player(video),
    h(
      "div",
      { class: "card__body" },
      title,
      h("p", { class: "card__player" }, video.username, h("span", { class: "card__city" }, video.city)),
      h("div", { class: "card__actions" }, votes, button),
      messages.node,
    ),
  );
}

const link = (video) => h("a", { href: `#/video/${encodeURIComponent(video.video_id)}` }, video.title);

/** preload="none": a gallery of many videos downloads nothing until one is played. */
export function player(video) {
  return h("video", {
    class: "card__video",
    src: video.processed_url,
    poster: video.poster_url,
    preload: "none",
    controls: true,
    playsinline: true,
    "aria-label": `Video: ${video.title}`,
  });
}
