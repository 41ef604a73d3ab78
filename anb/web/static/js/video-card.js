// A published video as shown to the public: poster with its duration, title, player (a link to the
// profile), city, votes and the vote button. The native player, with its control bar, appears only
// once someone presses play.

import * as api from "./api.js";
import * as session from "./session.js";
import { votingClosed } from "./contest-api.js";
import { formatDuration, formatVotes, h, notice } from "./dom.js";
import { markVoted, votedIds } from "./votes.js";

export const videoPath = (video) => `/videos/${encodeURIComponent(video.video_id)}`;
export const playerPath = (id) => `/players/${encodeURIComponent(id)}`;

/** Where the app is now, to come back to after logging in or signing up. */
export const here = () => (location.pathname === "/" ? location.hash.slice(1) || "/galeria" : location.pathname);

/**
 * `heading`: "h2" in lists, "h1" on the video page (which plays in place, with controls).
 * `showPlayer`: false on a profile, whose cards are all the same player's.
 */
export function videoCard(video, { heading, showPlayer = true }) {
  const votes = h("p", { class: "card__votes" }, formatVotes(video.votes));
  const messages = notice();
  const button = h("button", { type: "button", class: "button", "data-action": "vote" }, "Votar");
  const showVoted = () => {
    button.textContent = "Votado ✓";
    button.disabled = true;
    button.classList.add("button--voted");
  };
  votedIds().then((ids) => {
    if (ids.has(video.video_id)) showVoted();
  });
  button.addEventListener("click", async () => {
    if (!session.isLoggedIn()) {
      messages.info(...signInInvitation());
      return;
    }
    button.disabled = true;
    messages.clear();
    try {
      const answer = await api.vote(video.video_id);
      video.votes += 1;
      votes.textContent = formatVotes(video.votes);
      markVoted(video.video_id);
      showVoted();
      messages.success(answer.message);
    } catch (error) {
      messages.error(error.message);
      if (error.code === "already_voted") {
        markVoted(video.video_id);
        showVoted();
      } else {
        button.disabled = false;
      }
    }
  });
  // Once voting has closed, the results take the vote button's place.
  votingClosed().then((closed) => {
    if (closed) button.replaceWith(h("a", { class: "button button--secondary", href: "/#/resultados" }, "Ver resultados"));
  });
  const large = heading === "h1";
  const title = large ? h("h1", { tabindex: "-1" }, video.title) : h(heading, {}, h("a", { href: videoPath(video) }, video.title));
  return h(
    "article",
    { class: large ? "card card--large" : "card", "data-video-id": video.video_id },
    large ? player(video) : poster(video),
    h(
      "div",
      { class: "card__body" },
      title,
      showPlayer
        ? h(
            "p",
            { class: "card__player" },
            h("a", { href: playerPath(video.player_id) }, video.player_name),
            h("span", { class: "card__city" }, video.city),
          )
        : null,
      h("div", { class: "card__actions" }, votes, button),
      messages.node,
    ),
  );
}

/** Why voting needs an account, with the two ways in; both come back here afterwards. */
function signInInvitation() {
  const back = `volver=${encodeURIComponent(here())}`;
  return [
    "Para votar necesitas una cuenta. ",
    h("a", { href: `/#/ingresar?${back}` }, "Ingresa"),
    " o ",
    h("a", { href: `/#/registro-aficionado?${back}` }, "crea una cuenta de aficionado"),
    " (solo nombre, correo y contraseña); luego vuelves a este video.",
  ];
}

/** The poster and a play button; pressing it swaps in the real player and starts it. */
function poster(video) {
  const duration = formatDuration(video.duration_seconds);
  const play = h(
    "button",
    { type: "button", class: "card__play", "aria-label": `Reproducir «${video.title}» (${duration})` },
    video.poster_url
      ? h("img", { src: video.poster_url, alt: "", loading: "lazy", decoding: "async", width: "1280", height: "720" })
      : null,
    h("span", { class: "card__play-icon", "aria-hidden": "true" }),
  );
  const media = h(
    "div",
    { class: "card__media" },
    play,
    h("span", { class: "card__duration", "aria-hidden": "true" }, duration),
  );
  play.addEventListener("click", () => {
    const playing = player(video, { autoplay: true });
    media.replaceChildren(playing);
    playing.focus();
  });
  return media;
}

/** preload="none": nothing is downloaded until the video is played. */
export function player(video, { autoplay = false } = {}) {
  return h("video", {
    class: "card__video",
    src: video.processed_url,
    poster: video.poster_url,
    preload: "none",
    controls: true,
    autoplay,
    playsinline: true,
    "aria-label": `Video: ${video.title}`,
  });
}
