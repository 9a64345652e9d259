def search(request):
    raise NotImplementedError


def program_detail(request, slug):
    raise NotImplementedError
