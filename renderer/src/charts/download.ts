// Save exported charts and data from the page. Works the same in Electron (the shell turns the download
// into a save dialog) and in a browser; no host call is needed because the bytes are already here.
export function downloadText(fileName: string, text: string, mime = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  clickLink(fileName, url);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadDataUrl(fileName: string, dataUrl: string): void {
  clickLink(fileName, dataUrl);
}

/** A file name from a chart title: "Loss (validation)" -> "loss-validation". */
export function fileStem(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'chart'
  );
}

function clickLink(fileName: string, href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
}
