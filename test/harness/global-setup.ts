// Placeholder until the Redis harness lands: starts nothing.
export default function setup(): void {}
