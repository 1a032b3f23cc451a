// The drag-and-drop payload type between the palette and the canvas.
export const KIND_MIME = 'application/x-rnn-studio-kind';
