// The cities already on the platform (/api/public/cities): the filter of the gallery and the
// rankings, and the suggestions of the signup's city field.

import * as api from "./api.js";
import { h } from "./dom.js";

/** The server's city key (anb/accounts/normalize.py): no case, no accents, no surrounding spaces. */
export const cityKey = (city) =>
  city
    .trim()
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "");

/** `selected` is a city key ("" for all cities); `onChoose(key)` runs when the person picks one. */
export function citySelect(selected, onChoose) {
  const select = h("select", { id: "ciudad", name: "ciudad" }, h("option", { value: "" }, "Todas las ciudades"));
  select.addEventListener("change", () => onChoose(select.value));
  api
    .cities()
    .then((cities) => {
      for (const { city, key } of cities) select.append(h("option", { value: key, selected: key === selected }, city));
    })
    .catch(() => {
      // Without the list the filter offers "all cities" only; the page's own request reports errors.
    });
  return h("div", { class: "field" }, h("label", { for: "ciudad" }, "Ciudad"), select);
}

/**
 * Suggestions for a free-text city input: a <datalist> of the platform's cities. Returns
 * `spelling(text)`, which gives a typed city the platform's spelling when their keys match
 * ("bogota " → "Bogotá"), so one city is not split into several spellings.
 */
export function citySuggestions(input) {
  const list = h("datalist", { id: `${input.id}-lista` });
  input.setAttribute("list", list.id);
  input.after(list);
  const known = new Map();
  api
    .cities()
    .then((cities) => {
      for (const { city, key } of cities) {
        known.set(key, city);
        list.append(h("option", { value: city }));
      }
    })
    .catch(() => {
      // Free text still works without suggestions.
    });
  return (text) => known.get(cityKey(text)) ?? text.trim();
}
