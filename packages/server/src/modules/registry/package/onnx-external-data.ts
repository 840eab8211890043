import protobuf from 'protobufjs';

/**
 * Which external-data files an ONNX model refers to.
 *
 * `mlflow.onnx.save_model` saves with `save_as_external_data=True` by default, which moves every
 * tensor of 1 KiB or more out of model.onnx into a side file next to it, so most real MLflow ONNX
 * packages are model.onnx plus a weights file. onnxruntime resolves those files relative to the
 * model's folder (or, for a model given as bytes, the process's working directory), so Capstan
 * must find them to load the model at all, and must know them to load it from a folder holding
 * only the package's own files.
 *
 * Only the messages that can hold a tensor are declared; protobufjs skips every other field
 * (weights included) without copying. Field numbers are those of onnx/onnx.proto:
 *   ModelProto        graph = 7, training_info = 20, functions = 25
 *   TrainingInfoProto initialization = 1, algorithm = 2
 *   FunctionProto     node = 7, attribute_proto = 11 (ONNX 1.13+)
 *   GraphProto        node = 1, initializer = 5, sparse_initializer = 15
 *   NodeProto         attribute = 5
 *   AttributeProto    t = 5, g = 6, tensors = 10, graphs = 11, sparse_tensor = 22, sparse_tensors = 23
 *   SparseTensorProto values = 1, indices = 2
 *   TensorProto       name = 8, external_data = 13, data_location = 14 (DEFAULT = 0, EXTERNAL = 1)
 *   StringStringEntryProto key = 1, value = 2
 */
const ONNX_SUBSET_PROTO = `
syntax = "proto2";
package capstan.onnx;
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message TensorProto {
  optional string name = 8;
  repeated StringStringEntryProto external_data = 13;
  optional int32 data_location = 14;
}
message SparseTensorProto { optional TensorProto values = 1; optional TensorProto indices = 2; }
message AttributeProto {
  optional TensorProto t = 5;
  optional GraphProto g = 6;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
  optional SparseTensorProto sparse_tensor = 22;
  repeated SparseTensorProto sparse_tensors = 23;
}
message NodeProto { repeated AttributeProto attribute = 5; }
message GraphProto {
  repeated NodeProto node = 1;
  repeated TensorProto initializer = 5;
  repeated SparseTensorProto sparse_initializer = 15;
}
message TrainingInfoProto { optional GraphProto initialization = 1; optional GraphProto algorithm = 2; }
message FunctionProto { repeated NodeProto node = 7; repeated AttributeProto attribute_proto = 11; }
message ModelProto {
  optional GraphProto graph = 7;
  repeated TrainingInfoProto training_info = 20;
  repeated FunctionProto functions = 25;
}
`;

const EXTERNAL = 1;

const ModelProto = protobuf.parse(ONNX_SUBSET_PROTO, { keepCase: true }).root.lookupType('capstan.onnx.ModelProto');

// The decoded shapes of the subset above (toObject with arrays: true fills every repeated field).
interface Entry { key?: string; value?: string }
interface Tensor { name?: string; external_data: Entry[]; data_location?: number }
interface Sparse { values?: Tensor; indices?: Tensor }
interface Attribute { t?: Tensor; g?: Graph; tensors: Tensor[]; graphs: Graph[]; sparse_tensor?: Sparse; sparse_tensors: Sparse[] }
interface Node { attribute: Attribute[] }
interface Graph { node: Node[]; initializer: Tensor[]; sparse_initializer: Sparse[] }
interface Model {
  graph?: Graph;
  training_info: Array<{ initialization?: Graph; algorithm?: Graph }>;
  functions: Array<{ node: Node[]; attribute_proto: Attribute[] }>;
}

export interface ExternalDataReference {
  /** The initializer (or attribute tensor) whose data lives outside the model file. */
  tensor: string;
  /** The `location` entry: a path relative to the model file's folder. */
  location: string;
}

/**
 * Every tensor stored as external data, in graph order. Throws when the bytes are not a protobuf
 * ModelProto (the caller then lets onnxruntime say what is wrong with the file).
 */
export function externalDataReferences(bytes: Uint8Array): ExternalDataReference[] {
  const model = ModelProto.toObject(ModelProto.decode(bytes), { arrays: true }) as Model;
  const found: ExternalDataReference[] = [];
  const tensor = (t: Tensor | undefined): void => {
    if (t === undefined || t.data_location !== EXTERNAL) return;
    const location = t.external_data.find((e) => e.key === 'location')?.value ?? '';
    found.push({ tensor: t.name ?? '', location });
  };
  const sparse = (s: Sparse | undefined): void => {
    tensor(s?.values);
    tensor(s?.indices);
  };
  const attribute = (a: Attribute): void => {
    tensor(a.t);
    a.tensors.forEach(tensor);
    sparse(a.sparse_tensor);
    a.sparse_tensors.forEach(sparse);
    if (a.g !== undefined) graph(a.g);
    a.graphs.forEach(graph);
  };
  const node = (n: Node): void => n.attribute.forEach(attribute);
  function graph(g: Graph): void {
    g.initializer.forEach(tensor);
    g.sparse_initializer.forEach(sparse);
    g.node.forEach(node);
  }
  if (model.graph !== undefined) graph(model.graph);
  for (const info of model.training_info) {
    if (info.initialization !== undefined) graph(info.initialization);
    if (info.algorithm !== undefined) graph(info.algorithm);
  }
  for (const fn of model.functions) {
    fn.node.forEach(node);
    fn.attribute_proto.forEach(attribute);
  }
  return found;
}
