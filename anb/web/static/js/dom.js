// DOM helpers. Data from the API only ever reaches the page as text nodes or attribute values,
// never as HTML, so a title like "<img onerror=…>" is shown as typed.

/**
 * h("a", { href: "#/x", class: "link" }, "text", child) — attributes are set with setAttribute
 * (`true` for boolean attributes, null/false/undefined to omit), `on<Event>` keys add listeners,
 * and string children become text nodes.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/**
 * A message area: errors go to a role="alert" paragraph, confirmations and news to a role="status" one.
 * Both exist from the start (empty), so screen readers announce every change reliably.
 */
export function notice() {
  const error = h("p", { class: "notice notice--error", role: "alert" });
  const status = h("p", { class: "notice notice--ok", role: "status" });
  const node = h("div", { class: "notices" }, error, status);
  return {
    node,
    error(text) {
      status.textContent = "";
      error.textContent = text;
    },
    success(text, ...extra) {
      error.textContent = "";
      status.className = "notice notice--ok";
      status.replaceChildren(text, ...extra);
    },
    /** Neutral news, such as an empty list; may hold links. */
    info(...content) {
      error.textContent = "";
      status.className = "notice notice--info";
      status.replaceChildren(...content);
    },
    clear() {
      error.textContent = "";
      status.textContent = "";
    },
  };
}

/** The page's heading: focused after a navigation so screen readers announce the new page. */
export const pageHeading = (text) => h("h1", { tabindex: "-1" }, text);

export const formatVotes = (count) => `${count} ${count === 1 ? "voto" : "votos"}`;

/** 26.03 → "0:26" */
export function formatDuration(seconds) {
  const whole = Math.round(seconds || 0);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

const DATE_FORMAT = new Intl.DateTimeFormat("es", { dateStyle: "medium", timeStyle: "short" });
export const formatDate = (iso) => (iso ? DATE_FORMAT.format(new Date(iso)) : "");

/** A labelled form field; `attributes` go to the <input>. */
export function field(label, attributes, hint) {
  const hintId = hint ? `${attributes.id}-ayuda` : null;
  const input = h("input", { ...attributes, "aria-describedby": hintId });
  return {
    input,
    node: h(
      "div",
      { class: "field" },
      h("label", { for: attributes.id }, label),
      hint ? h("p", { class: "field__hint", id: hintId }, hint) : null,
      input,
    ),
  };
}

/** Marks the first invalid input for assistive technology and moves focus to it. */
export function flagInvalid(form, input) {
  for (const element of form.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
}
