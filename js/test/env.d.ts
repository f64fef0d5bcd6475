/// <reference types="vite/client" />
// Gives the tests `import text from "./x.sse?raw"` and `import.meta.glob`.
