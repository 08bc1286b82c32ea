// AudioWorklet processor: copies the PCM it hears (left/right) into
// interleaved chunks of 1024 frames and posts them to the main thread, where
// kefir's analyzer takes them. Gap-free: every sample of every render
// quantum is posted, in order. Needs no SharedArrayBuffer (no COOP/COEP).
class KefirTap extends AudioWorkletProcessor {
  constructor() {
    super();
    this.frames = 1024;
    this.buf = new Float32Array(this.frames * 2);
    this.n = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (input && input.length > 0) {
      const left = input[0];
      const right = input.length > 1 ? input[1] : input[0];
      for (let i = 0; i < left.length; i++) {
        this.buf[this.n * 2] = left[i];
        this.buf[this.n * 2 + 1] = right[i];
        this.n++;
        if (this.n === this.frames) {
          this.port.postMessage(this.buf);
          this.buf = new Float32Array(this.frames * 2);
          this.n = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor('kefir-tap', KefirTap);
