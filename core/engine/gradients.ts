// tfjs-core alone registers no gradients. Its own register_all_gradients module cannot be imported by
// plain Node (its ESM files use extensionless imports), but tfjs-layers registers the same gradients on
// import in both its Node and ESM builds, and the engine needs tfjs-layers anyway (export, bench). The
// gradient registry is global, so one import anywhere covers every copy of tfjs-core.
import '@tensorflow/tfjs-layers';
