// Show the run a saved page holds (lgwidget/exports/page.py writes the page):
// the notebook's own view, on a model with no kernel behind it.

import { h } from "../dom";
import { createView, type View } from "../view";
import { StaticModel } from "./model";
import { pageTraits, readPayload } from "./page";

/** The id of the `<script type="application/json">` holding the run. */
export const PAYLOAD_ID = "lgw-run";
/** The id of the element the timeline goes into. */
export const ROOT_ID = "lgw-root";

/** Render the page's run into its root; says why on the page when it cannot. */
export function mountPage(doc: Document): View | null {
  const root = doc.getElementById(ROOT_ID) ?? doc.body;
  const payload = readPayload(doc.getElementById(PAYLOAD_ID)?.textContent);
  if (payload instanceof Error) {
    root.append(h("div", "lgw-page-error", `lgwidget: ${payload.message}`));
    return null;
  }
  return createView(new StaticModel(pageTraits(payload)), root);
}
