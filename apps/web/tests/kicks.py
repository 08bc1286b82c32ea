#!/usr/bin/env python3
"""Writes the fake microphone's WAV for the browser tests: 8 s, 48 kHz,
16-bit stereo, a 55 Hz kick (a decaying, falling sine) on every beat at
120 BPM over quiet hi-hat noise, so bass rises on each kick.

    python3 kicks.py OUT.wav
"""
import math
import random
import struct
import sys
import wave

RATE = 48000
SECONDS = 8
BPM = 120


def main():
    out = sys.argv[1]
    rng = random.Random(7)
    beat = int(RATE * 60 / BPM)
    frames = bytearray()
    phase = 0.0
    for n in range(RATE * SECONDS):
        t = (n % beat) / RATE
        freq = 55 + 90 * math.exp(-t * 30)
        phase += 2 * math.pi * freq / RATE
        kick = 0.9 * math.exp(-t * 9) * math.sin(phase)
        hat = 0.03 * (rng.random() * 2 - 1)
        v = max(-1.0, min(1.0, kick + hat))
        s = int(v * 32767)
        frames += struct.pack("<hh", s, s)
    with wave.open(out, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))


if __name__ == "__main__":
    main()
