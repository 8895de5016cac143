// Copies the few nhsuk-frontend icons our CSS refers to into static/nhsuk-icons/,
// so collectstatic can hash them alongside the CSS.
import { copyFileSync, mkdirSync } from "node:fs";

const source = "node_modules/nhsuk-frontend/dist/nhsuk/assets/images";
const target = "static/nhsuk-icons";
const icons = ["arrow-down", "arrow-up", "arrow-up-down", "cross"];

mkdirSync(target, { recursive: true });
for (const icon of icons) {
  copyFileSync(`${source}/nhsuk-icon-${icon}.svg`, `${target}/nhsuk-icon-${icon}.svg`);
}
