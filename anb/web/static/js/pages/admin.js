// #/admin: operators review the scan's open flags with their evidence, a player's vote timeline,
// confirm (void) or restore held votes in bulk, and read the audit log.

import * as admin from "../admin-api.js";
import { formatDate, h, notice, pageHeading } from "../dom.js";

const RULES = {
  prefix_cluster: "Muchas cuentas nuevas desde una misma red",
  single_purpose_accounts: "Cuentas creadas solo para votar por este jugador",
  rate_spike: "Pico de votos muy por encima de lo normal",
  vote_exchange: "Intercambio de votos entre jugadores",
};
const STATUS = { counted: "Contado", held: "Retenido", void: "Anulado" };
const ACTIONS = { confirm: "anulados", restore: "restaurados" };

const age = (seconds) =>
  seconds === null ? "?" : seconds < 3600 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 86400)} d`;

export function render({ signal }) {
  const messages = notice();
  const flagList = h("div", { class: "admin-flags", "aria-live": "polite" });
  const timeline = h("div", { class: "admin-timeline" });
  const auditList = h("ol", { class: "admin-audit", "aria-label": "Registro de auditoría" });
  const node = h(
    "section",
    { class: "page page--admin", "aria-busy": "true" },
    pageHeading("Revisión de votos"),
    messages.node,
    h("h2", {}, "Alertas abiertas"),
    flagList,
    h("h2", {}, "Votos del jugador"),
    timeline,
    h("h2", {}, "Registro de auditoría"),
    auditList,
  );

  async function decide(decision, what) {
    try {
      const { moved } = await admin.decide(decision);
      messages.success(`${moved} votos ${ACTIONS[decision.action]} (${what}).`);
      await refresh();
    } catch (error) {
      messages.error(error.message);
    }
  }

  function flagCard(flag) {
    const evidence = h(
      "dl",
      { class: "evidence" },
      Object.entries(flag.evidence).flatMap(([key, value]) => [h("dt", {}, key), h("dd", {}, String(value))]),
    );
    return h(
      "article",
      { class: "admin-flag", "data-flag": flag.id },
      h("h3", {}, `${RULES[flag.rule] ?? flag.rule}: ${flag.player.username} (${flag.player.city})`),
      h("p", {}, `${flag.votes} votos retenidos · ${formatDate(flag.created_at)} · el jugador tiene ${flag.player.votes} votos contados`),
      evidence,
      h(
        "p",
        { class: "actions" },
        h("button", { type: "button", onClick: () => decide({ action: "confirm", flag_id: flag.id }, "alerta confirmada") }, "Confirmar fraude (anular)"),
        h("button", { type: "button", onClick: () => decide({ action: "restore", flag_id: flag.id }, "alerta descartada") }, "Restaurar votos"),
        h("button", { type: "button", class: "link-button", onClick: () => showPlayer(flag.player.id) }, "Ver votos del jugador"),
      ),
    );
  }

  async function showPlayer(playerId) {
    try {
      const { player, votes } = await admin.playerVotes(playerId);
      const rows = votes.map((vote) =>
        h(
          "tr",
          {},
          h("td", {}, vote.status === "held" ? h("input", { type: "checkbox", "aria-label": "Seleccionar voto", "data-video": vote.video_id, "data-user": vote.voter_id }) : ""),
          h("td", {}, formatDate(vote.created_at)),
          h("td", {}, STATUS[vote.status] ?? vote.status),
          h("td", {}, vote.client_prefix ?? "?"),
          h("td", {}, age(vote.voter_age_seconds)),
          h("td", {}, (vote.agent_hash ?? "").slice(0, 8)),
          h("td", {}, vote.status_reason ?? ""),
        ),
      );
      const selected = (action) => {
        const picked = [...timeline.querySelectorAll("input:checked")].map((box) => ({ video_id: box.dataset.video, user_id: box.dataset.user }));
        if (picked.length) decide({ action, votes: picked }, `${picked.length} seleccionados`);
      };
      timeline.replaceChildren(
        h("p", {}, `${player.username} (${player.city}): ${player.votes} votos contados`),
        h(
          "table",
          { class: "admin-table" },
          h("thead", {}, h("tr", {}, ["", "Fecha", "Estado", "Red", "Edad de la cuenta", "Navegador", "Motivo"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, rows),
        ),
        h(
          "p",
          { class: "actions" },
          h("button", { type: "button", onClick: () => selected("confirm") }, "Anular seleccionados"),
          h("button", { type: "button", onClick: () => selected("restore") }, "Restaurar seleccionados"),
        ),
      );
    } catch (error) {
      messages.error(error.message);
    }
  }

  async function refresh() {
    try {
      const [open, entries] = await Promise.all([admin.flags(), admin.audit()]);
      if (signal.aborted) return;
      flagList.replaceChildren(...(open.length ? open.map(flagCard) : [h("p", {}, "No hay alertas abiertas.")]));
      auditList.replaceChildren(
        ...entries.map((entry) =>
          h("li", {}, `${formatDate(entry.at)} · ${entry.actor} · ${entry.action} · ${JSON.stringify(entry.detail)}`),
        ),
      );
    } catch (error) {
      if (!signal.aborted) messages.error(error.message);
    } finally {
      node.removeAttribute("aria-busy");
    }
  }

  refresh();
  return { node, title: "Revisión de votos" };
}
