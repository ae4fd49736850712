// Search over the per-year Pagefind indexes (see pipeline/search.py), in Vietnamese.
// Pagefind ignores tone marks but keeps "đ" apart from "d", so each query also runs with
// "d" read as "đ" in the words that have one: "doi" finds "đội", "bdbp" finds "BĐBP".
const script = document.currentScript || document.querySelector("script[data-index]");
const base = script.dataset.index;
const form = document.querySelector(".search-form");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const MAX_VARIANTS = 8;
const MAX_RESULTS = 20;

export function variants(query) {
  let combos = [[]];
  for (const word of query.toLowerCase().split(/\s+/).filter(Boolean)) {
    const options = word.includes("d") ? [word, word.replaceAll("d", "đ")] : [word];
    combos = combos.flatMap((combo) => options.map((option) => [...combo, option]));
    combos = combos.slice(0, MAX_VARIANTS);
  }
  return combos.map((combo) => combo.join(" "));
}

async function loadIndex() {
  const years = await (await fetch(`${base}years.json`)).json();
  if (!years.length) return null;
  const pagefind = await import(`${base}${years[0]}/pagefind.js`);
  await pagefind.options({ basePath: `${base}${years[0]}/` });
  // The older years at once, not one after another: on a slow link each is a round trip.
  await Promise.all(years.slice(1).map((year) => pagefind.mergeIndex(`${base}${year}/`)));
  return pagefind;
}

// Loaded once per page (from the first focus on the box, while the reader types), not on
// every query; a failed load (the signal dropped) is tried again at the next query.
let loading = null;
function index() {
  if (!loading) {
    loading = loadIndex().catch((error) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

function show(results) {
  list.replaceChildren(
    ...results.map((data) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = data.url;
      link.textContent = data.meta.title;
      const excerpt = document.createElement("p");
      excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds only <mark>
      item.append(link, excerpt);
      return item;
    }),
  );
}

async function run(query) {
  status.textContent = "Đang tìm…";
  try {
    await search(query);
  } catch {
    status.textContent = "Không tải được chỉ mục tìm kiếm (mất kết nối?). Hãy bấm Tìm để thử lại.";
  }
}

async function search(query) {
  const pagefind = await index();
  if (!pagefind) {
    status.textContent = "Chưa có bài nào để tìm.";
    return;
  }
  const best = new Map();
  for (const variant of variants(query)) {
    const found = await pagefind.search(variant);
    for (const result of found.results) {
      if (!best.has(result.id) || best.get(result.id).score < result.score) best.set(result.id, result);
    }
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score).slice(0, MAX_RESULTS);
  const results = await Promise.all(ranked.map((result) => result.data()));
  show(results);
  status.textContent = results.length
    ? `Tìm thấy ${best.size} bài cho “${query}”.`
    : `Không tìm thấy bài nào cho “${query}”.`;
}

input.addEventListener("focus", () => index().catch(() => {}), { once: true });
const query = new URLSearchParams(location.search).get("q");
if (query && query.trim()) {
  input.value = query;
  run(query.trim());
}
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const value = input.value.trim();
  if (!value) return;
  history.replaceState(null, "", `?q=${encodeURIComponent(value)}`);
  run(value);
});
