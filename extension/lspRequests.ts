// Typed client-side handles of the custom messages declared in server/protocol/lsp.ts.
import { NotificationType, RequestType } from 'vscode-languageclient/node';
import { CreateManifestRequest, PublishRequest, RunTestsRequest, ServeRequest, ServerStatusNotification, StopRequest, VersionsRequest } from '../server/protocol/lsp';

export const runTestsRequest = new RequestType<RunTestsRequest.Params, RunTestsRequest.Result, void>(RunTestsRequest.method);
export const serveRequest = new RequestType<ServeRequest.Params, ServeRequest.Result, void>(ServeRequest.method);
export const stopRequest = new RequestType<StopRequest.Params, StopRequest.Result, void>(StopRequest.method);
export const serverStatusNotification = new NotificationType<ServerStatusNotification.Params>(ServerStatusNotification.method);
export const publishRequest = new RequestType<PublishRequest.Params, PublishRequest.Result, void>(PublishRequest.method);
export const createManifestRequest = new RequestType<CreateManifestRequest.Params, CreateManifestRequest.Result, void>(CreateManifestRequest.method);
export const versionsRequest = new RequestType<VersionsRequest.Params, VersionsRequest.Result, void>(VersionsRequest.method);
