// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Drives the official OpenAI and Anthropic SDKs for the end-to-end tests. Takes one JSON
// request on argv[2] (or stdin):
//   {sdk: "openai"|"anthropic", baseURL, apiKey, call, model, prompt}
//   call: chat | chat-stream | responses | responses-stream | messages | messages-stream |
//         embeddings | models | count-tokens | agent | agent-stream
//   agent, agent-stream: a Claude-Code-like turn (system blocks, tools, an image, thinking,
//         a tool_use/tool_result history) with messages.create / messages.stream; the
//         result is the SDK's own final message: {content, stop_reason, stop_sequence, usage}
// and prints ONE JSON line: the normalized result (no ids or timestamps, so a direct call
// and a call through the gateway compare equal), or {error: {class, status}} when the SDK
// throws. The openai baseURL includes /v1; the anthropic one does not.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

async function readInput() {
    if (process.argv[2])
        return process.argv[2];
    const parts = [];
    for await (const part of process.stdin)
        parts.push(part);
    return Buffer.concat(parts).toString('utf8');
}

async function runOpenAI(client, call, model, prompt) {
    const messages = [{ role: 'user', content: prompt }];
    switch (call) {
    case 'chat': {
        const r = await client.chat.completions.create({ model, messages });
        return { text: r.choices[0].message.content, finish: r.choices[0].finish_reason, usage: r.usage };
    }
    case 'chat-stream': {
        const stream = await client.chat.completions.create({
            model, messages, stream: true, stream_options: { include_usage: true } });
        let text = '';
        let finish = null;
        let usage = null;
        let chunks = 0;
        for await (const chunk of stream) {
            ++chunks;
            for (const choice of chunk.choices) {
                text += choice.delta?.content ?? '';
                finish = choice.finish_reason ?? finish;
            }
            if (chunk.usage)
                usage = chunk.usage;
        }
        return { text, finish, usage, streamed: chunks > 1 };
    }
    case 'responses': {
        const r = await client.responses.create({ model, input: prompt });
        return { text: r.output_text, finish: r.status, usage: r.usage };
    }
    case 'responses-stream': {
        const stream = await client.responses.create({ model, input: prompt, stream: true });
        let text = '';
        let finish = null;
        let usage = null;
        const types = new Set();
        for await (const event of stream) {
            types.add(event.type);
            if (event.type === 'response.output_text.delta')
                text += event.delta;
            if (event.type === 'response.completed') {
                finish = event.response.status;
                usage = event.response.usage;
            }
        }
        return { text, finish, usage, streamed: types.has('response.created') && types.has('response.output_text.delta') };
    }
    case 'embeddings': {
        const r = await client.embeddings.create({ model, input: [prompt, prompt + '!'] });
        return { count: r.data.length, dimensions: r.data[0].embedding.length,
                 first: Array.from(r.data[0].embedding).map((v) => Math.round(v * 1e4) / 1e4), usage: r.usage };
    }
    case 'models': {
        const ids = [];
        for await (const model of client.models.list())
            ids.push(model.id);
        return { ids };
    }
    default:
        throw new Error(`call ${call} is not an openai call`);
    }
}

// A 1x1 PNG.
const kPixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function agentParams(model, prompt) {
    return {
        model, max_tokens: 1024,
        system: [{ type: 'text', text: 'You are a coding agent.', cache_control: { type: 'ephemeral' } }],
        thinking: { type: 'enabled', budget_tokens: 512 },
        metadata: { user_id: JSON.stringify({ device_id: 'd'.repeat(64), session_id: 'session-1' }) },
        tools: [
            { name: 'bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } },
            { name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
        ],
        messages: [
            { role: 'user', content: [{ type: 'text', text: prompt }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: kPixel } }] },
            { role: 'assistant', content: [{ type: 'text', text: 'Looking.' }, { type: 'tool_use', id: 'toolu_prev', name: 'bash', input: { command: 'ls' } }] },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_prev', content: [{ type: 'text', text: 'a.txt' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: kPixel } }] }] },
        ],
    };
}

function finalMessage(r) {
    return { content: r.content, stop_reason: r.stop_reason, stop_sequence: r.stop_sequence,
             usage: { input_tokens: r.usage.input_tokens, output_tokens: r.usage.output_tokens,
                      cache_read_input_tokens: r.usage.cache_read_input_tokens ?? null,
                      cache_creation_input_tokens: r.usage.cache_creation_input_tokens ?? null } };
}

async function runAnthropic(client, call, model, prompt) {
    const params = { model, max_tokens: 256, messages: [{ role: 'user', content: prompt }] };
    switch (call) {
    case 'agent':
        return finalMessage(await client.messages.create(agentParams(model, prompt)));
    case 'agent-stream': {
        const stream = client.messages.stream(agentParams(model, prompt));
        let startInput = null;
        const inputs = [];
        stream.on('streamEvent', (event) => {
            if (event.type === 'message_start')
                startInput = event.message.usage.input_tokens;
        });
        stream.on('inputJson', (_delta, snapshot) => inputs.push(snapshot));
        const r = finalMessage(await stream.finalMessage());
        return { ...r, start_input_tokens: startInput, saw_partial_inputs: inputs.length > 0 };
    }
    case 'messages': {
        const r = await client.messages.create(params);
        return { text: r.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
                 finish: r.stop_reason, usage: r.usage };
    }
    case 'messages-stream': {
        const stream = client.messages.stream(params);
        let events = 0;
        stream.on('streamEvent', () => ++events);
        const r = await stream.finalMessage();
        return { text: r.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
                 finish: r.stop_reason, usage: r.usage, streamed: events > 1 };
    }
    case 'count-tokens': {
        const r = await client.messages.countTokens({ model, messages: params.messages });
        return { input_tokens: r.input_tokens };
    }
    case 'models': {
        const ids = [];
        for await (const model of client.models.list())
            ids.push(model.id);
        return { ids };
    }
    default:
        throw new Error(`call ${call} is not an anthropic call`);
    }
}

async function main() {
    let request;
    try {
        request = JSON.parse(await readInput());
    } catch (e) {
        process.stderr.write(`sdkclient: bad request JSON: ${e.message}\n`);
        process.exit(2);
    }
    const { sdk, baseURL, apiKey, call, model, prompt } = request;
    const options = { baseURL, apiKey, maxRetries: 0, timeout: request.timeoutMs ?? 20000 };
    let result;
    try {
        if (sdk === 'openai')
            result = await runOpenAI(new OpenAI(options), call, model, prompt);
        else if (sdk === 'anthropic')
            result = await runAnthropic(new Anthropic(options), call, model, prompt);
        else
            throw new Error(`unknown sdk ${sdk}`);
    } catch (err) {
        if (err?.constructor?.name === 'Error') {
            process.stderr.write(`sdkclient: ${err.message}\n`);
            process.exit(2);
        }
        result = { error: { class: err?.constructor?.name ?? 'unknown', status: err?.status ?? null } };
    }
    process.stdout.write(JSON.stringify(result) + '\n');
}

main();
