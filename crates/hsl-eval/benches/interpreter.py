# The same algorithm as benches/interpreter.rs, for comparison:
#   python3 crates/hsl-eval/benches/interpreter.py
import time

def run():
    words = []
    total = 0
    for i in range(200000):
        total += i % 7 * 3
        if i % 1000 == 0:
            words.append("w" + str(i))
    text = ",".join(words)
    parts = text.split(",")
    lengths = [len(p) for p in parts]
    return total + len(text) + len(lengths)

times = []
for _ in range(10):
    start = time.perf_counter()
    assert run() == 1801668
    times.append(time.perf_counter() - start)
times.sort()
print(f"python3: median {times[5] * 1000:.1f} ms")
