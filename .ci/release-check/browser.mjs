// Bundled by esbuild for the browser and run in headless Chromium; the page shows the result.
import { BitmapBins, BuddyAllocator } from "@mm/buddy";
import { SlabAllocator } from "@mm/slab";

const out = document.getElementById("result");
try {
  const pages = new BuddyAllocator({ bins: BitmapBins });
  pages.addRange(0, 32 * 1024 * 1024);
  const heap = new SlabAllocator({ pages });
  const objects = Array.from({ length: 1000 }, (_, i) => heap.alloc(16 + (i % 200)));
  for (const addr of objects) heap.free(addr);
  heap.shrink();
  out.textContent = `browser ok: ${objects.length} objects, ${pages.availableBytes} bytes free, ${navigator.userAgent.includes("HeadlessChrome") ? "headless chrome" : navigator.userAgent}`;
} catch (error) {
  out.textContent = `browser failed: ${error}`;
}
