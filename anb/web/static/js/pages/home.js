// #/inicio: what the contest is, who can enter, its dates with a countdown, what is at stake, and the
// two things to do: upload a video, vote. Once voting has closed, the results take the vote's place.

import * as session from "../session.js";
import { colombian, contestRules, profile, resendConfirmation, untilInstant } from "../contest-api.js";
import { h, notice, pageHeading } from "../dom.js";

export function render({ signal }) {
  const messages = notice();
  const when = h("div", { class: "contest__when" });
  const actions = h("div", { class: "contest__actions" });
  const confirmation = h("div", { class: "contest__confirm" });
  const node = h(
    "section",
    { class: "page contest", "aria-busy": "true" },
    pageHeading("ANB Rising Stars: el concurso"),
    h(
      "p",
      { class: "lead" },
      "Jugadores aficionados de baloncesto de toda Colombia suben un video de sus mejores jugadas;" +
        " el público vota y los más votados de cada ciudad forman su selección para el torneo Rising Stars.",
    ),
    when,
    actions,
    confirmation,
    messages.node,
    h("h2", {}, "¿Quién puede participar?"),
    h(
      "p",
      {},
      "Cualquier jugador aficionado con una cuenta: sube un video de 20 a 60 segundos en 1080p o más." +
        " Cualquier persona registrada puede votar, una vez por video.",
    ),
    h("h2", {}, "¿Qué está en juego?"),
    h(
      "p",
      { id: "contest-stake" },
      "Un lugar en la selección de tu ciudad para el torneo Rising Stars de la ANB, frente a visores y" +
        " entrenadores de la liga.",
    ),
    h("p", {}, h("a", { href: "#/reglas" }, "Lee las reglas completas"), " · ", h("a", { href: "#/ranking" }, "Mira el ranking")),
  );

  let timer = null;
  signal.addEventListener("abort", () => clearInterval(timer));

  contestRules()
    .then((contest) => {
      if (signal.aborted) return;
      const stake = node.querySelector("#contest-stake");
      stake.textContent = `Un lugar en la selección de tu ciudad (${players(contest.squad_size)}) para el torneo Rising Stars de la ANB.`;
      showWhen(contest);
      timer = setInterval(() => showWhen(contest), 1000);
    })
    .catch((error) => messages.error(error.message))
    .finally(() => node.removeAttribute("aria-busy"));

  let shownPhase = null;
  function showWhen(contest) {
    const phase = currentPhase(contest);
    if (phase !== shownPhase) {
      shownPhase = phase;
      actions.replaceChildren(...actionLinks(phase));
      when.replaceChildren(...dates(contest, phase));
    }
    const countdown = when.querySelector("[data-countdown]");
    if (countdown) countdown.textContent = remaining(untilInstant(contest, countdown.dataset.countdown));
  }

  if (session.isLoggedIn()) showConfirmation(confirmation, signal);
  return { node, title: "El concurso" };
}

export const players = (count) => `${count} ${count === 1 ? "jugador" : "jugadores"}`;

function currentPhase(contest) {
  if (!contest.opens_at) return "unscheduled";
  if (untilInstant(contest, contest.opens_at) > 0) return "upcoming";
  return untilInstant(contest, contest.closes_at) > 0 ? "open" : "closed";
}

function dates(contest, phase) {
  if (phase === "unscheduled") return [h("p", {}, "Las fechas de la votación se anunciarán pronto.")];
  const window = h(
    "p",
    {},
    `La votación abre el ${colombian(contest.opens_at)} y cierra el ${colombian(contest.closes_at)}.`,
  );
  if (phase === "closed") return [window, h("p", { class: "contest__countdown" }, "La votación terminó.")];
  const target = phase === "upcoming" ? contest.opens_at : contest.closes_at;
  const label = phase === "upcoming" ? "Abre en " : "Cierra en ";
  return [
    window,
    h("p", { class: "contest__countdown" }, label, h("strong", { "data-countdown": target, role: "timer" }, "")),
  ];
}

function actionLinks(phase) {
  const upload = h("a", { class: "button", href: "#/subir" }, "Sube tu video");
  if (phase === "closed") return [h("a", { class: "button", href: "#/resultados" }, "Ver resultados")];
  return [upload, h("a", { class: "button button--secondary", href: "#/galeria" }, "Vota")];
}

function remaining(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(seconds / 86400);
  const clock = [Math.floor((seconds % 86400) / 3600), Math.floor((seconds % 3600) / 60), seconds % 60]
    .map((part) => String(part).padStart(2, "0"))
    .join(":");
  return days > 0 ? `${days} ${days === 1 ? "día" : "días"} y ${clock}` : clock;
}

/** A signed-in player who has not confirmed their email is told so, with a way to get another link. */
async function showConfirmation(box, signal) {
  let me;
  try {
    me = await profile();
  } catch {
    return;
  }
  if (signal.aborted || me.email_confirmed) return;
  const messages = notice();
  const button = h("button", { type: "button", class: "button button--secondary" }, "Reenviar enlace de confirmación");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      messages.success((await resendConfirmation()).message);
    } catch (error) {
      messages.error(error.message);
    } finally {
      button.disabled = false;
    }
  });
  box.replaceChildren(
    h("p", {}, `Para votar, confirma tu email (${me.email}) con el enlace que te enviamos al registrarte.`),
    button,
    messages.node,
  );
}
