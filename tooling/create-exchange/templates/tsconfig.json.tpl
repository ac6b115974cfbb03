{
  "extends": "../../tooling/tsconfig/base.json",
  "include": ["src", "test", "examples"]
}
