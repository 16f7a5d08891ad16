// The embedrec web page: plain DOM calls over the server's JSON endpoints, no build step.
// Text from the model (ids, titles) is set with textContent, never parsed as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

function base() {
  const model = $("model").value;
  return model ? "/models/" + encodeURIComponent(model) : "";
}

async function getJson(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) {
    const e = body.error || {};
    throw new Error((e.field ? e.field + ": " : "") + (e.message || response.statusText));
  }
  return body;
}

function showError(error) {
  $("error").textContent = error ? String(error.message || error) : "";
  $("error").hidden = !error;
}

/** One list entry: title (or id), the id when a title is shown, a seen mark, a score. */
function itemRow(item, withScore) {
  const li = document.createElement("li");
  li.dataset.item = item.id;
  if (withScore) {
    const score = document.createElement("span");
    score.className = "score";
    score.textContent = Number(item.score).toFixed(3);
    li.append(score);
  }
  const title = document.createElement("span");
  title.className = "title";
  title.textContent = item.title || item.id;
  li.append(title);
  if (item.title) {
    const id = document.createElement("span");
    id.className = "id";
    id.textContent = item.id;
    li.append(id);
  }
  if (item.seen) {
    const seen = document.createElement("span");
    seen.className = "seen";
    seen.title = "seen in training";
    seen.textContent = "\u2713 seen";
    li.append(seen);
  }
  li.addEventListener("click", () => showSimilar(item.id, item.title));
  return li;
}

function fill(listId, items, withScore) {
  $(listId).replaceChildren(...items.map((item) => itemRow(item, withScore)));
}

async function loadModels() {
  const models = await getJson("/models");
  $("model").replaceChildren(...models.models.map((m) => {
    const option = document.createElement("option");
    option.value = m.model;
    option.textContent = m.model + " (v" + m.version + ")";
    option.selected = m.model === models.default;
    return option;
  }));
  await describeModel();
}

async function describeModel() {
  const info = await getJson("/models/" + encodeURIComponent($("model").value));
  $("model-info").textContent = info.kind + ", version " + info.version + ": " + info.items + " items, "
    + info.users + " users, " + info.index;
  const users = await getJson(base() + "/users?limit=200");
  $("users").replaceChildren(...users.users.map((u) => {
    const option = document.createElement("option");
    option.value = u;
    return option;
  }));
  if (!$("user").value && users.users.length > 0) {
    $("user").value = users.users[0];
  }
}

/** The ids typed in the history box, oldest first (commas separate them; blanks are dropped). */
function typedHistory() {
  return $("history-ids").value.split(",").map((id) => id.trim()).filter((id) => id);
}

/** The typed history, latest first as the saved one is shown, ids the model does not know marked. */
function typedHistoryRows(typed, unknown) {
  return typed.slice().reverse().map((id) => {
    const li = itemRow({ id }, false);
    if (unknown.has(id)) {
      const mark = document.createElement("span");
      mark.className = "missing";
      mark.textContent = "not in the model";
      li.append(mark);
    }
    return li;
  });
}

async function recommend(event) {
  if (event) event.preventDefault();
  showError(null);
  const user = $("user").value.trim();
  const typed = typedHistory();
  if (!user && typed.length === 0) {
    showError("type or pick a user id, or type a history of item ids");
    return;
  }
  // The page shows titles, not attributes: asking for none keeps answers small on wide catalogues.
  const params = new URLSearchParams({ k: $("k").value, exclude_seen: $("exclude-seen").checked, attributes: "" });
  if (user) params.append("user", user);
  typed.forEach((id) => params.append("history", id));
  try {
    const [history, answer] = await Promise.all([
      user ? getJson(base() + "/history?user=" + encodeURIComponent(user)) : Promise.resolve(null),
      getJson(base() + "/recommend?" + params)]);
    if (typed.length > 0) {
      // The typed items come after anything the model saved for the user: show them first.
      const unknown = new Set(answer.unknown_history || []);
      const saved = history && history.known ? history.items.slice(0, 20) : [];
      $("history").replaceChildren(...typedHistoryRows(typed, unknown),
        ...saved.map((item) => itemRow(item, false)));
      $("history-note").textContent = "History given with the query, latest first"
        + (saved.length > 0 ? ", then what the model saved for " + user : "")
        + (unknown.size > 0 ? " (" + unknown.size + " not in the model, left out)" : "") + ".";
    } else {
      // The two-tower preset keeps every item seen (in catalogue order), which can be hundreds: show 20.
      fill("history", history.items.slice(0, 20), false);
      const more = history.items.length > 20 ? " (20 of " + history.items.length + ")" : "";
      $("history-note").textContent = history.known
        ? "Items " + user + " had in training, latest first where the model keeps their order" + more + "."
        : user + " was not in the training data.";
    }
    fill("recommendations", answer.items, true);
    $("recommendations-note").textContent = answer.source === "popularity"
      ? "Most popular items (the model does not know this " + (typed.length > 0 && !user ? "history" : "user") + ")."
      : "Model " + answer.model + " v" + answer.version + ", by " + answer.source + ".";
  } catch (e) {
    showError(e);
  }
}

async function showSimilar(itemId, title) {
  showError(null);
  try {
    const answer = await getJson(base() + "/similar?k=10&attributes=&item=" + encodeURIComponent(itemId));
    $("similar-title").textContent = "Similar to " + (title || itemId);
    $("similar-note").textContent = "By the cosine of the items' embeddings.";
    fill("similar", answer.items, true);
  } catch (e) {
    showError(e);
  }
}

$("ask").addEventListener("submit", recommend);
$("model").addEventListener("change", () => describeModel().catch(showError));
loadModels().then(() => recommend()).catch(showError);
