import type { NextConfig } from "next";

// A static export: `next build` writes plain files to out/, which api-gateway serves at /.
// Every page is a client-rendered shell; data comes from the Herald API at run time.
const config: NextConfig = {
  output: "export",
  trailingSlash: true, // /campaigns/ → out/campaigns/index.html, which a static file server can find
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
  productionBrowserSourceMaps: false,
};

export default config;
