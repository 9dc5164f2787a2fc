"""`python -m diag.charts --check-font`: run by `make` to prove Chinese renders."""

import warnings

import matplotlib.pyplot as plt

from diag.charts import font_path

warnings.simplefilter("error")
fig, ax = plt.subplots(figsize=(2, 1))
ax.set_title("私域诊断 复购率")
fig.canvas.draw()
plt.close(fig)
print(f"CJK font ok: {font_path()}")
