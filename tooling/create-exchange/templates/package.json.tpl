{
  "name": "@dccd/__ID__",
  "version": "0.0.0",
  "description": "__NAME__ market data (trades, order books) for dccd.",
  "license": "MIT",
  "type": "module",
  "sideEffects": false,
  "files": ["dist", "src"],
  "main": "./dist/index.cjs",
  "types": "./dist/index.d.ts",
  "exports": {
    ".": {
      "@dccd/source": "./src/index.ts",
      "import": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
      "require": { "types": "./dist/index.d.cts", "default": "./dist/index.cjs" }
    },
    "./package.json": "./package.json"
  },
  "scripts": {
    "build": "tsup",
    "generate-session": "node scripts/generate-session.mjs",
    "typecheck": "tsc -p tsconfig.json",
    "lint": "publint"
  },
  "engines": { "node": ">=20.15" },
  "dependencies": {
    "@dccd/core": "workspace:^",
    "@dccd/transport": "workspace:^"
  },
  "devDependencies": {
    "@dccd/testkit": "workspace:*",
    "@dccd/tsconfig": "workspace:*",
    "@dccd/tsup-config": "workspace:*",
    "@dccd/vitest-config": "workspace:*"
  }
}
