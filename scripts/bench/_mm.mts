import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../main/engine/backend.js';
const r = await selectBackend((process.argv[2] as 'wasm') ?? 'wasm', console.log); console.log(r.description);
const B=64,H=256,G=1024;
const U = tf.randomNormal([H,G]) as tf.Tensor2D;
const h = new Float32Array(B*H).map(()=>Math.random());
let t0=performance.now();
for(let i=0;i<100;i++){ const ht=tf.tensor2d(h,[B,H]); const o=tf.matMul(ht,U); o.dataSync(); ht.dispose(); o.dispose(); }
console.log('backend step matmul ms', (performance.now()-t0)/100);
const Ud = U.dataSync() as Float32Array; const out=new Float32Array(B*G);
t0=performance.now();
for(let i=0;i<10;i++){ out.fill(0); for(let b=0;b<B;b++){ for(let k=0;k<H;k++){ const a=h[b*H+k]!; const ro=k*G, oo=b*G; for(let j=0;j<G;j++) out[oo+j]+=a*Ud[ro+j]!; } } }
console.log('js step matmul ms', (performance.now()-t0)/10);
// big matmul
const A = tf.randomNormal([6400,256]); t0=performance.now(); for(let i=0;i<5;i++){ const o=tf.matMul(A,U); o.dataSync(); o.dispose(); } console.log('6400x256x1024 ms',(performance.now()-t0)/5);
const sm=tf.tensor2d(h,[B,H]); t0=performance.now(); for(let i=0;i<1000;i++){ const o=tf.add(sm,sm); o.dispose(); } console.log('tiny op ms', (performance.now()-t0)/1000);
t0=performance.now(); const big=tf.randomNormal([64,100,256]); for(let i=0;i<100;i++){ const o=tf.slice(big,[0,i,0],[64,1,256]); o.dispose(); } console.log('slice ms', (performance.now()-t0)/100);
