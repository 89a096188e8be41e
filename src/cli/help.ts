// The --help texts. Defaults are read from TRAIN_DEFAULTS so the text cannot
// drift from what runs.

import { MAX_INFERRED_CLASSES } from './target.js';
import { TRAIN_DEFAULTS as D } from './train-options.js';

export const MAIN_HELP = `simdnet: train and use small neural networks on CSV data (WebAssembly SIMD or pure JS)

usage:
  simdnet train <data.csv> --target <column> [options]   train, report on a held-out split, save
  simdnet predict <model-file> <data.csv> [--out file]   write predictions as CSV
  simdnet evaluate <model-file> <data.csv> [--target c]  report accuracy (or MSE/MAE/R²) on a CSV
  simdnet <command> --help                               options of one command
  simdnet --version

Data files are CSV with a header row; every column except the target is a numeric feature.
Exit codes: 0 success, 1 bad data or model file, 2 bad command line, 130 interrupted (Ctrl-C).
`;

const lr = (o: keyof typeof D.lr) => (D.lr[o].classification === D.lr[o].regression ? `${D.lr[o].classification}` : `${D.lr[o].classification} for classification, ${D.lr[o].regression} for regression`);

export const TRAIN_HELP = `usage: simdnet train <data.csv> --target <column> [options]

Reads the CSV (header row required), holds out a test part, standardizes the features with
the mean and std of the training part only, holds out validation rows from the training
part, trains a multi-layer perceptron (${D.optimizer}) until the validation loss stops improving,
keeps the weights of the best epoch, and prints a report on the test part: accuracy and a
confusion matrix (rows: true class, columns: predicted) for classification, or MSE, MAE and
R² for regression; then the validation loss, the training time, samples/s and the backend.

options:
  -t, --target <column>     the column to predict (required); all other columns are features
  --task <task>             classification or regression; default: inferred, classification
                            when a target value is not a number, or all are integers with at
                            most ${MAX_INFERRED_CLASSES} distinct values; otherwise regression
  --hidden <widths>         hidden Dense layers, e.g. 64 or 128,64; none for no hidden layer
                            (default ${D.hidden.join(',')})
  --activation <name>       activation of hidden layers: relu, leakyRelu, elu, tanh, sigmoid,
                            linear (default ${D.activation})
  --batch-norm              batch normalization after each hidden Dense, before its activation
  --dropout <rate>          dropout after each hidden layer, ≥ 0 and < 1 (default ${D.dropout}: none)
  --epochs <n>              the most passes over the training rows (default ${D.epochs}); early
                            stopping usually ends training sooner
  --batch-size <n>          rows per gradient step (default ${D.batchSize})
  --optimizer <name>        sgd, adam, adamw or rmsprop (default ${D.optimizer})
  --lr <x>                  learning rate (default ${lr('adam')} for adam, adamw and rmsprop;
                            ${lr('sgd')} for sgd)
  --lr-schedule <name>      how the rate changes over the T = epochs × batches-per-epoch steps
                            (default ${D.lrSchedule}):
                              constant       lr throughout
                              step           halved every ⌈epochs/4⌉ epochs
                              exponential    lr·0.01^(step/T): down to lr/100 at step T
                              cosine         from lr to 0 at step T on a half cosine
                              warmup-cosine  rising linearly to lr over 5 % of T (at least
                                             one epoch, at most half of T), then cosine to 0
  --weight-decay <λ>        L2 penalty λ·w added to the gradient (adamw: decoupled decay,
                            w −= lr·λ·w); 0 for none (default ${D.weightDecay})
  --validation-split <f>    share of the training rows held out to validate after each epoch,
                            ≥ 0 and < 1 (default ${D.validationSplit}); stratified for classification;
                            0: no validation and no early stopping
  --early-stopping <n>      stop after n epochs without a lower validation loss and keep the
                            best epoch's weights (default ${D.earlyStopping}); 0 or off: run every epoch
  --backend <name>          wasm, js or auto: WASM SIMD where available (default ${D.backend})
  --seed <n>                seed of the splits, the initial weights and the shuffling (default ${D.seed})
  --test-split <fraction>   share of rows held out for the report, ≥ 0 and < 1 (default ${D.testSplit});
                            0 trains on every row and reports on the training rows
  -o, --out <model-file>    save the model (.simdnet) with the feature names, target, task,
                            class names and standardization statistics
  --plot <file.svg>         save a chart of the loss per epoch, training and validation (and
                            for classification the accuracy, in a second chart below)
  --min-accuracy <x>        classification: exit with status 1 when the test accuracy is below x
  -h, --help                this text

The output layer is softmax with cross-entropy for classification and linear with MSE for
regression (the target is standardized for training; reports are in its own units).
Class names are sorted: numerically when every label is a number ("1.0" and "1" are the same
class), otherwise in character order; the i-th class is the model's i-th output.
The split is stratified for classification (each class keeps its share of test rows) and a
seeded shuffle for regression. Progress: a live bar on a terminal, else one line per epoch,
with the validation loss (and accuracy) of each epoch.
Ctrl-C stops training and exits with status 130 without writing a model; a model file and a
plot are written to a temporary file and renamed, so they are never half-written.
`;

export const PREDICT_HELP = `usage: simdnet predict <model-file> <data.csv> [--out predictions.csv]

Reads the features by the names saved in the model (other columns, such as the target, are
ignored), standardizes them with the saved statistics and writes one CSV row per input row:
  classification: predicted_<target>, then prob_<class> for every class
  regression:     predicted_<target>

options:
  -o, --out <file>     write the CSV to this file (via a temporary file and a rename)
                       instead of stdout
  --backend <name>     wasm, js or auto (default auto)
  -h, --help           this text
`;

export const EVALUATE_HELP = `usage: simdnet evaluate <model-file> <data.csv> [--target <column>]

Prints the report that train prints at its end, for every row of the CSV: accuracy, loss and
a confusion matrix for classification, or MSE, MAE and R² for regression.

options:
  -t, --target <column>  the column with the true values (default: the target the model was
                         trained on)
  --backend <name>       wasm, js or auto (default auto)
  -h, --help             this text
`;
