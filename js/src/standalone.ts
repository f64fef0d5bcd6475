// Entry point of a saved page: lgwidget/static/standalone.{js,css}, which
// lgwidget/exports/page.py inlines into one HTML file with the run.

import "./styles.css";
import "./standalone/page.css";
import { mountPage } from "./standalone/mount";

mountPage(document);
