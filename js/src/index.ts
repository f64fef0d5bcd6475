// anywidget entry point: one independent view (store, header, timeline) per render.

import type { AnyWidget } from "@anywidget/types";
import "./styles.css";
import type { WidgetTraits } from "./types";
import { createView } from "./view";

export default {
  render({ model, el }) {
    const view = createView(model, el);
    return () => view.destroy();
  },
} satisfies AnyWidget<WidgetTraits>;
