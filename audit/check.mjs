// The web's own checkers on a running Newsroom: the Nu Html Checker, axe-core and Lighthouse.
//
//   node audit/check.mjs BASE_URL PAGES_JSON REPORTS_DIR
//
// PAGES_JSON maps a page's name to its path (audit/pages.py writes it). Writes the fetched HTML,
// the checkers' reports and screenshots into REPORTS_DIR, prints a summary and exits 1 when the Nu
// checker reports an error, axe-core a violation, a page loads anything from another host, a page
// scrolls sideways at 375px, or a Lighthouse score is under LIGHTHOUSE_MIN (95).
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const [baseUrl, pagesFile, reportsDir] = process.argv.slice(2);
if (!reportsDir) {
  console.error("usage: node audit/check.mjs BASE_URL PAGES_JSON REPORTS_DIR");
  process.exit(2);
}
const pages = JSON.parse(await readFile(pagesFile, "utf8"));
const CHROMIUM = process.env.CHROME_PATH || "/usr/bin/chromium";
// Debian's Chromium as root, on a machine with no network but the loopback.
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const LIGHTHOUSE_PAGES = ["home", "article"];
const LIGHTHOUSE_CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const LIGHTHOUSE_MIN = Number(process.env.LIGHTHOUSE_MIN || 95);
const VNU_JAR = path.join(here, "node_modules/vnu-jar/build/dist/vnu.jar");
// The Nu checker's CSS validator predates container queries; everything else in our CSS it knows.
const VNU_CSS_FILTER = ".*(container-type|@container).*";
const CSS_DIR = path.join(here, "..", "static", "css");
const LIGHTHOUSE_BIN = path.join(here, "node_modules/.bin/lighthouse");

const problems = [];
const htmlDir = path.join(reportsDir, "html");
const shotsDir = path.join(reportsDir, "screenshots");
const lighthouseDir = path.join(reportsDir, "lighthouse");
await Promise.all([htmlDir, shotsDir, lighthouseDir].map((dir) => mkdir(dir, { recursive: true })));

// 1. Fetch every page as a reader would, and keep its HTML for the Nu checker.
const files = {};
for (const [name, pagePath] of Object.entries(pages)) {
  const response = await fetch(new URL(pagePath, baseUrl), { redirect: "manual" });
  const expected = name === "not-found" ? 404 : 200;
  if (response.status !== expected) problems.push(`${name} ${pagePath}: HTTP ${response.status}, expected ${expected}`);
  files[name] = path.join(htmlDir, `${name}.html`);
  await writeFile(files[name], await response.text());
}

// 2. The Nu Html Checker, once for all pages (one JVM start).
const nuByPage = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
{
  let stderr;
  try {
    ({ stderr } = await run("java", ["-jar", VNU_JAR, "--errors-only", "--format", "json", ...Object.values(files)], {
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (error) {
    if (!error.stderr?.trim().startsWith("{")) throw error;
    stderr = error.stderr; // vnu exits 1 when it found errors; the report is still there
  }
  const byFile = Object.fromEntries(Object.entries(files).map(([name, file]) => [path.resolve(file), name]));
  for (const message of JSON.parse(stderr).messages) {
    const name = byFile[path.resolve(fileURLToPath(message.url))];
    nuByPage[name].push(message);
  }
  await writeFile(path.join(reportsDir, "nu.json"), JSON.stringify(nuByPage, null, 2));
}

// 2b. The same checker on our stylesheets (a stray brace silently drops the rule after it).
const cssErrors = [];
{
  const sheets = (await readdir(CSS_DIR)).filter((name) => name.endsWith(".css")).map((name) => path.join(CSS_DIR, name));
  const args = ["-jar", VNU_JAR, "--css", "--errors-only", "--format", "json", "--filterpattern", VNU_CSS_FILTER, ...sheets];
  let stderr;
  try {
    ({ stderr } = await run("java", args, { maxBuffer: 16 * 1024 * 1024 }));
  } catch (error) {
    if (!error.stderr?.trim().startsWith("{")) throw error;
    stderr = error.stderr;
  }
  for (const message of JSON.parse(stderr).messages) {
    cssErrors.push(`${path.basename(fileURLToPath(message.url))} line ${message.lastLine}: ${message.message}`);
  }
}

// 3. axe-core in Chromium, a look for sideways scrolling on a phone, and screenshots for people.
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
const axeByPage = {};
const foreign = [];
try {
  for (const [name, pagePath] of Object.entries(pages)) {
    for (const width of [1280, 375]) {
      const context = await browser.newContext({ viewport: { width, height: width === 375 ? 812 : 900 } });
      const page = await context.newPage();
      await page.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.origin === new URL(baseUrl).origin || url.protocol === "data:") return route.continue();
        foreign.push(`${name}: ${url.href}`);
        return route.abort();
      });
      await page.goto(new URL(pagePath, baseUrl).href, { waitUntil: "load" });
      const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
      axeByPage[`${name}@${width}`] = results.violations;
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width === 375 && scrollWidth > width) problems.push(`${name}: scrolls sideways at 375px (${scrollWidth}px)`);
      // Lazy images below the fold would show as empty boxes in a full-page screenshot: load them first.
      await page.evaluate(async () => {
        const images = [...document.images];
        for (const image of images) image.loading = "eager";
        await Promise.all(images.map((image) => image.decode().catch(() => {})));
      });
      await page.screenshot({ path: path.join(shotsDir, `${name}-${width}.png`), fullPage: true });
      await context.close();
    }
  }
} finally {
  await browser.close();
}
await writeFile(path.join(reportsDir, "axe.json"), JSON.stringify(axeByPage, null, 2));
for (const url of foreign) problems.push(`loads from another host: ${url}`);

// 4. Lighthouse, mobile and desktop, on the home page and an article.
const scores = [];
if (process.env.AUDIT_LIGHTHOUSE !== "0") {
  for (const name of LIGHTHOUSE_PAGES) {
    for (const formFactor of ["mobile", "desktop"]) {
      const output = path.join(lighthouseDir, `${name}-${formFactor}`);
      const args = [
        new URL(pages[name], baseUrl).href,
        `--chrome-flags=--headless=new ${CHROMIUM_FLAGS.join(" ")}`,
        `--only-categories=${LIGHTHOUSE_CATEGORIES.join(",")}`,
        "--output=json",
        "--output=html",
        `--output-path=${output}`,
        "--quiet",
        ...(formFactor === "desktop" ? ["--preset=desktop"] : []),
      ];
      await run(LIGHTHOUSE_BIN, args, { env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 64 * 1024 * 1024 });
      const report = JSON.parse(await readFile(`${output}.report.json`, "utf8"));
      const row = { page: name, formFactor };
      for (const category of LIGHTHOUSE_CATEGORIES) row[category] = Math.round(report.categories[category].score * 100);
      scores.push(row);
      for (const category of LIGHTHOUSE_CATEGORIES) {
        if (row[category] < LIGHTHOUSE_MIN) {
          const failing = Object.values(report.audits)
            .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== "informative")
            .filter((audit) => report.categories[category].auditRefs.some((ref) => ref.id === audit.id && ref.weight > 0))
            .map((audit) => audit.id);
          problems.push(`Lighthouse ${name} ${formFactor} ${category}: ${row[category]} (${failing.join(", ")})`);
        }
      }
    }
  }
}

// 5. The summary.
const nuErrors = Object.values(nuByPage).reduce((sum, messages) => sum + messages.length, 0);
const axeViolations = Object.values(axeByPage).reduce((sum, violations) => sum + violations.length, 0);
console.log("\nNu Html Checker (errors) and axe-core (violations, WCAG 2.1 A/AA, at 1280px and 375px):");
console.log(`  ${"page".padEnd(10)} ${"path".padEnd(66)} ${"Nu".padStart(3)} ${"axe".padStart(4)}`);
for (const [name, pagePath] of Object.entries(pages)) {
  const axeCount = (axeByPage[`${name}@1280`]?.length ?? 0) + (axeByPage[`${name}@375`]?.length ?? 0);
  console.log(`  ${name.padEnd(10)} ${pagePath.padEnd(66)} ${String(nuByPage[name].length).padStart(3)} ${String(axeCount).padStart(4)}`);
  for (const message of nuByPage[name]) console.log(`      Nu line ${message.lastLine}: ${message.message}`);
  for (const key of [`${name}@1280`, `${name}@375`]) {
    for (const violation of axeByPage[key] ?? []) {
      const targets = violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(" | ");
      console.log(`      axe ${key.split("@")[1]}px ${violation.id} (${violation.impact}): ${targets}`);
    }
  }
}
console.log(`  total: ${nuErrors} Nu errors, ${axeViolations} axe violations`);
console.log(`\nNu CSS checker on static/css/: ${cssErrors.length} errors`);
for (const message of cssErrors) console.log(`      ${message}`);
if (scores.length) {
  console.log("\nLighthouse 12.2.3:");
  console.log(`  ${"page".padEnd(8)} ${"form".padEnd(8)} ${"Perf".padStart(5)} ${"A11y".padStart(5)} ${"BP".padStart(5)} ${"SEO".padStart(5)}`);
  for (const row of scores) {
    const cells = LIGHTHOUSE_CATEGORIES.map((category) => String(row[category]).padStart(5)).join(" ");
    console.log(`  ${row.page.padEnd(8)} ${row.formFactor.padEnd(8)} ${cells}`);
  }
}
await writeFile(path.join(reportsDir, "summary.json"), JSON.stringify({ pages, nuErrors, axeViolations, cssErrors, scores, problems }, null, 2));
console.log(`\nReports and screenshots: ${reportsDir}`);
if (nuErrors || axeViolations || cssErrors.length) {
  problems.unshift(`${nuErrors} Nu errors, ${axeViolations} axe violations, ${cssErrors.length} CSS errors`);
}
if (problems.length) {
  console.log("\nFAILED:");
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
console.log("\nAll checks passed.");
