import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  oxc: { jsx: { runtime: "automatic" } },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    // userEvent-heavy tests take 1-5 s alone, and longer on a busy 2-core machine
    testTimeout: 20_000,
    // the app uses same-origin relative URLs in the browser; Node's Request needs an absolute one
    env: { NEXT_PUBLIC_HERALD_API_URL: "http://herald.test" },
  },
});
