#!/usr/bin/env python3
"""Write the deterministic test track for the fidelity comparison.

3 s, 44100 Hz, 16-bit stereo: a kick drum on every beat at 120 BPM, a
hi-hat on the off-beats (seeded noise), and two sustained tones
(220 Hz left-heavy, 330 Hz right-heavy, with a slow tremolo), so bass, mid
and treble all move. Standard library only; same bytes on every run.
"""
import math
import random
import struct
import sys
import wave

RATE = 44100
SECONDS = 3.0
BPM = 120.0


def main(path):
    rng = random.Random(12345)
    n = int(RATE * SECONDS)
    beat = 60.0 / BPM
    frames = bytearray()
    for i in range(n):
        t = i / RATE
        tb = t % beat  # time since the last beat
        # kick: pitch sweep 120 -> 45 Hz with fast decay
        f = 45.0 + 75.0 * math.exp(-tb * 30.0)
        kick = math.sin(2 * math.pi * f * tb) * math.exp(-tb * 8.0) * 0.8
        # hat on the off-beat
        th = (t + beat / 2) % beat
        hat = (rng.random() * 2 - 1) * math.exp(-th * 60.0) * 0.25
        trem = 0.5 + 0.5 * math.sin(2 * math.pi * 0.5 * t)
        a = math.sin(2 * math.pi * 220.0 * t) * 0.15 * trem
        b = math.sin(2 * math.pi * 330.0 * t) * 0.15 * (1 - trem)
        left = kick + hat + a + 0.4 * b
        right = kick + hat * 0.7 + 0.4 * a + b
        for s in (left, right):
            v = max(-1.0, min(1.0, s))
            frames += struct.pack("<h", int(round(v * 32000)))
    with wave.open(path, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fidelity.wav")
