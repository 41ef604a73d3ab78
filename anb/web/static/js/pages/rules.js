// #/reglas: the contest's rules as the operators set them, and how anyone checks the result.

import { colombian, contestRules } from "../contest-api.js";
import { h, notice, pageHeading } from "../dom.js";

export function render({ signal }) {
  const messages = notice();
  const list = h("ul", { class: "contest__rules" });
  const tieBreak = h("p", {});
  const node = h(
    "section",
    { class: "page contest", "aria-busy": "true" },
    pageHeading("Reglas del concurso"),
    messages.node,
    list,
    h("h2", {}, "Empates"),
    tieBreak,
    h("h2", {}, "Un resultado que cualquiera puede comprobar"),
    h(
      "p",
      {},
      "Al cierre, la clasificación se congela a partir de los votos contados del registro de votos" +
        " (no de los contadores en vivo). Se publica con la huella (SHA-256) de una cadena que recorre" +
        " cada voto contado en forma seudónima. Con el archivo exportado, `anb contest verify` recalcula" +
        " la clasificación y la huella sin acceso a nuestra base de datos.",
    ),
  );
  contestRules()
    .then((contest) => {
      if (signal.aborted) return;
      const window = contest.opens_at
        ? `Del ${colombian(contest.opens_at)} al ${colombian(contest.closes_at)}.`
        : "Las fechas se anunciarán pronto.";
      list.append(
        item("Votación", window),
        item(
          "Videos",
          contest.uploads_close_at
            ? `Se reciben hasta el ${colombian(contest.uploads_close_at)}.`
            : "Se reciben durante todo el concurso.",
        ),
        item("Selección de cada ciudad", `Los primeros ${contest.squad_size} de la clasificación final de su ciudad.`),
        item("Votos", "Un voto por persona registrada y por video; solo cuentan los votos emitidos durante la votación."),
        item(
          "Votos propios",
          contest.self_votes_count ? "Un jugador puede votar por su propio video y ese voto cuenta." : "Los votos de un jugador por sus propios videos no cuentan.",
        ),
        item(
          "Clasificación final",
          contest.jury_weight === 0
            ? "Solo el voto del público (100 %)."
            : `Combina el puesto en el voto del público (${contest.public_weight} %) y el puesto según el jurado (${contest.jury_weight} %): gana el menor puesto ponderado.`,
        ),
      );
      tieBreak.textContent = contest.tie_break;
    })
    .catch((error) => messages.error(error.message))
    .finally(() => node.removeAttribute("aria-busy"));
  return { node, title: "Reglas" };
}

const item = (label, text) => h("li", {}, h("strong", {}, `${label}: `), text);
