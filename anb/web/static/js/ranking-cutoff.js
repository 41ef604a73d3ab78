// The contest on the live ranking: ties shown as ties, and in a city's ranking the line under the
// players who would make its squad if voting closed now.

import { contestRules } from "./contest-api.js";
import { h } from "./dom.js";

/**
 * `rows` are the table's rows for `entries` (same order). Equal votes share a place ("=" before the
 * position); the positions themselves stay the API's, whose order settles who is listed first.
 */
export async function markTiesAndCutoff(rows, entries, { city }) {
  entries.forEach((entry, index) => {
    const tied = entries[index - 1]?.votes === entry.votes || entries[index + 1]?.votes === entry.votes;
    if (!tied) return;
    rows[index].dataset.tied = "true";
    rows[index].querySelector(".ranking__position").prepend(h("abbr", { title: "Empate en votos" }, "="));
  });
  if (!city) return;
  let squadSize;
  try {
    squadSize = (await contestRules()).squad_size;
  } catch {
    return;
  }
  const last = entries.findIndex((entry) => entry.position === squadSize);
  if (last === -1 || last === entries.length - 1 && entries.length < squadSize) return;
  const tieAtCut = entries[last + 1]?.votes === entries[last].votes;
  const text = tieAtCut
    ? `Corte de la selección (${squadSize}): hay un empate en el corte; lo decide la regla de desempate.`
    : `Corte de la selección (${squadSize}): quienes están arriba de esta línea pasarían al torneo si la votación cerrara ahora.`;
  rows[last].dataset.squadCutoff = "true";
  rows[last].after(h("tr", { class: "ranking__cutoff" }, h("td", { colspan: "4" }, text)));
}
